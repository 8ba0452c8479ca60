<?php

/**
 * Preloads CDS core, so that requests find the C declarations in FFI::scope('CDS')
 * instead of parsing them with FFI::cdef() (which ffi.enable=preload forbids outside CLI).
 *
 * Outside the CLI, ffi.enable=preload refuses FFI calls from code that was not preloaded, so
 * this script must be opcache.preload'ed: it compiles the CDS\ classes too. Two ways
 * (README.md, "Web servers"; the third is ffi.enable=true, without preloading):
 *
 * A. opcache.preload, when the server does not start as root (no opcache.preload_user):
 *
 *        opcache.enable=1
 *        opcache.preload=/path/to/bindings/php/src/preload.php
 *        ffi.enable=preload
 *
 *    This script then writes the header (below) and loads it with FFI::load(). PHP refuses
 *    FFI::load() together with opcache.preload_user (a server started as root): use B there.
 *
 * B. ffi.preload with opcache.preload, for a server started by any user, root included:
 *    run once, at deploy time
 *
 *        CDS_LIBRARY=/usr/local/lib/libcds.so.1 php /path/to/bindings/php/src/preload.php
 *
 *    which writes the header, checks that it loads, and prints its path; then set
 *
 *        opcache.enable=1
 *        opcache.preload=/path/to/bindings/php/src/preload.php
 *        opcache.preload_user=www-data        (when the server starts as root)
 *        ffi.enable=preload
 *        ffi.preload=<that path>
 *
 *    PHP declares the scope from ffi.preload first; this script finds it and only compiles
 *    the classes. ffi.preload alone is not enough: the request's FFI::scope() is refused.
 *
 * The header is a copy of cds_ffi.h headed by `#define FFI_SCOPE "CDS"` and
 * `#define FFI_LIB "<absolute path of libcds.so>"`, written as cds_ffi.preload.h next to
 * this file, or in the system temporary directory when this directory is not writable.
 * The library is $CDS_LIBRARY when set, else ../lib/libcds.so. Any problem throws: a
 * misconfiguration should stop the server start, not surface on the first request.
 */

declare(strict_types=1);

(static function (): void {
    require_once __DIR__ . '/Exception.php';
    foreach (\glob(__DIR__ . '/*.php') ?: [] as $file) {
        if (\basename($file) !== 'preload.php') {
            require_once $file;
        }
    }

    $writeHeader = static function (): string {
        $library = \realpath(\CDS\Library::path());
        if ($library === false) {
            throw new \RuntimeException('CDS preload: no library at ' . \CDS\Library::path() . ' (set CDS_LIBRARY)');
        }
        if (\str_contains($library, '"') || \str_contains($library, "\n")) {
            throw new \RuntimeException('CDS preload: the library path may not contain a quote or a newline: ' . $library);
        }
        $header = '#define FFI_SCOPE "' . \CDS\Library::SCOPE . "\"\n"
            . '#define FFI_LIB "' . $library . "\"\n"
            . \CDS\Library::declarations();

        $target = __DIR__ . '/cds_ffi.preload.h';
        $current = \is_file($target) && \file_get_contents($target) === $header;
        if (!$current && !(\is_file($target) ? \is_writable($target) : \is_writable(__DIR__))) {
            $target = \sys_get_temp_dir() . '/cds_ffi.preload.' . \md5(__DIR__ . "\0" . $library) . '.h';
        }
        if (!\is_file($target) || \file_get_contents($target) !== $header) {
            $temporary = $target . '.' . \getmypid() . '.tmp';
            if (\file_put_contents($temporary, $header) === false || !\rename($temporary, $target)) {
                @\unlink($temporary);
                throw new \RuntimeException('CDS preload: cannot write ' . $target);
            }
        }

        return $target;
    };

    try {
        $ffi = \FFI::scope(\CDS\Library::SCOPE); // already there through ffi.preload
        $target = null;
    } catch (\FFI\Exception) {
        $target = $writeHeader();
        $ffi = \FFI::load($target);
        if ($ffi === null) {
            throw new \RuntimeException('CDS preload: FFI::load(' . $target . ') failed');
        }
    }
    $expected = \CDS\Library::headerAbiVersion();
    if ((int) $ffi->cds_abi_version() !== $expected) {
        throw new \RuntimeException(\sprintf(
            'CDS preload: the library of %s implements ABI %d, this binding expects %d',
            $target ?? 'the FFI scope ' . \CDS\Library::SCOPE,
            $ffi->cds_abi_version(),
            $expected,
        ));
    }

    $script = $_SERVER['argv'][0] ?? null;
    if (\PHP_SAPI === 'cli' && \is_string($script) && \realpath($script) === __FILE__) {
        echo $target ?? $writeHeader(), "\n"; // way B: the value for ffi.preload
    }
})();
