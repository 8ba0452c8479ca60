<?php

declare(strict_types=1);

namespace CDS;

/**
 * Loads libcds.so once per process and hands out the FFI instance (a singleton).
 *
 * Where the declarations come from, in order:
 *
 * 1. the FFI scope "CDS" when it was preloaded (opcache.preload of `src/preload.php`,
 *    see README.md): `FFI::scope('CDS')`, nothing is parsed per request;
 * 2. otherwise `FFI::cdef()` of `src/cds_ffi.h` (generated from include/cds.h by
 *    scripts/gen-ffi-header) against the library at {@see path()}: the environment
 *    variable `CDS_LIBRARY` when set, else `src/../lib/libcds.so`.
 *
 * Either way the library's `cds_abi_version()` must equal the `CDS_ABI_VERSION=N` recorded
 * on the first line of `cds_ffi.h`; a mismatch throws instead of risking a crash.
 */
final class Library
{
    /** The name of the preloaded FFI scope. */
    public const SCOPE = 'CDS';

    /** The environment variable naming the library file. */
    public const ENV = 'CDS_LIBRARY';

    /** Status answered by cds_open and cds_call on success. */
    public const CDS_OK = 0;

    /** Status answered when *out holds an error object. */
    public const CDS_ERROR = 1;

    /** Status answered for a NULL handle, method or out pointer. */
    public const CDS_MISUSE = 2;

    /** The loaded FFI instance, once loaded. */
    private static ?\FFI $ffi = null;

    /** Whether {@see $ffi} came from the preloaded scope. */
    private static bool $preloaded = false;

    /** Not instantiable: every member is static. */
    private function __construct()
    {
    }

    /**
     * The FFI instance bound to libcds.so, loading and checking it on first use.
     *
     * @throws Exception code "library_load" when the library or header cannot be loaded,
     *                   code "abi_mismatch" when the library implements another ABI
     */
    public static function ffi(): \FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        $preloaded = false;
        $ffi = null;
        try {
            $ffi = \FFI::scope(self::SCOPE);
            $preloaded = true;
        } catch (\FFI\Exception) {
            // Not preloaded: parse the header ourselves.
        }
        if ($ffi === null) {
            $path = self::path();
            try {
                $ffi = \FFI::cdef(self::declarations(), $path);
            } catch (\FFI\Exception $e) {
                if (\str_contains($e->getMessage(), 'ffi.enable')) {
                    throw new Exception(
                        \sprintf(
                            'CDS core is not preloaded and ffi.enable=%s forbids FFI::cdef() outside the CLI: preload it '
                            . '(opcache.preload of src/preload.php, with ffi.preload when the server starts as root) '
                            . 'or set ffi.enable=true; see bindings/php/README.md, "Web servers" (%s)',
                            (string) \ini_get('ffi.enable'),
                            $e->getMessage(),
                        ),
                        'library_load',
                        ['path' => $path, 'ffi.enable' => (string) \ini_get('ffi.enable')],
                        $e,
                    );
                }
                throw new Exception(
                    \sprintf('cannot load CDS core from %s (set %s to the path of libcds.so): %s', $path, self::ENV, $e->getMessage()),
                    'library_load',
                    ['path' => $path],
                    $e,
                );
            }
        }
        $expected = self::headerAbiVersion();
        $actual = (int) $ffi->cds_abi_version();
        if ($actual !== $expected) {
            throw new Exception(
                \sprintf('libcds implements ABI %d but this binding was generated for ABI %d', $actual, $expected),
                'abi_mismatch',
                ['library' => $actual, 'header' => $expected],
            );
        }
        self::$ffi = $ffi;
        self::$preloaded = $preloaded;

        return $ffi;
    }

    /**
     * The semantic version of the loaded library, e.g. "0.1.0" (`cds_version()`).
     *
     * @throws Exception when the library cannot be loaded
     */
    public static function version(): string
    {
        return (string) self::ffi()->cds_version();
    }

    /**
     * The ABI version the loaded library implements (`cds_abi_version()`).
     *
     * Always equal to {@see headerAbiVersion()}: loading fails otherwise.
     *
     * @throws Exception when the library cannot be loaded
     */
    public static function abiVersion(): int
    {
        return (int) self::ffi()->cds_abi_version();
    }

    /**
     * Whether the declarations came from the preloaded FFI scope "CDS".
     *
     * @throws Exception when the library cannot be loaded
     */
    public static function isPreloaded(): bool
    {
        self::ffi();

        return self::$preloaded;
    }

    /**
     * The path of the library file: `$CDS_LIBRARY` when set and not empty, else
     * `lib/libcds.so` next to `src/`. Not used when the scope is preloaded.
     */
    public static function path(): string
    {
        $env = \getenv(self::ENV);
        if (\is_string($env) && $env !== '') {
            return $env;
        }

        return __DIR__ . '/../lib/libcds.so';
    }

    /** The path of the generated, preprocessor-free header `cds_ffi.h`. */
    public static function headerPath(): string
    {
        return __DIR__ . '/cds_ffi.h';
    }

    /**
     * The ABI version recorded on the first line of `cds_ffi.h` (`CDS_ABI_VERSION=N`).
     *
     * @throws Exception code "library_load" when the header is missing or has no version
     */
    public static function headerAbiVersion(): int
    {
        [$first] = self::headerLines();
        if (\preg_match('/CDS_ABI_VERSION=(\d+)/', $first, $m) !== 1) {
            throw new Exception(
                'no CDS_ABI_VERSION=N on the first line of ' . self::headerPath() . ': run scripts/gen-ffi-header',
                'library_load',
                ['path' => self::headerPath()],
            );
        }

        return (int) $m[1];
    }

    /**
     * The C declarations of `cds_ffi.h` without its first (comment) line, ready for
     * `FFI::cdef()` or to follow the `#define FFI_SCOPE` / `FFI_LIB` lines of `FFI::load()`.
     *
     * @throws Exception code "library_load" when the header cannot be read
     */
    public static function declarations(): string
    {
        [$first, $rest] = self::headerLines();

        return \str_starts_with(\ltrim($first), '/*') ? $rest : $first . "\n" . $rest;
    }

    /**
     * The first line of the header and the rest.
     *
     * @return array{0: string, 1: string}
     */
    private static function headerLines(): array
    {
        $text = @\file_get_contents(self::headerPath());
        if ($text === false) {
            throw new Exception('cannot read ' . self::headerPath(), 'library_load', ['path' => self::headerPath()]);
        }
        $parts = \explode("\n", $text, 2);

        return [\rtrim($parts[0], "\r"), $parts[1] ?? ''];
    }
}
