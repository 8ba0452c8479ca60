<?php

/**
 * PHPUnit bootstrap: a tiny PSR-4 autoloader (no vendor/ needed) for CDS\ → src/ and
 * CDS\Tests\ → tests/, and the library path: $CDS_LIBRARY when set, else the release
 * build of the repository, <repo>/.build/release/libcds.so.
 */

declare(strict_types=1);

\spl_autoload_register(static function (string $class): void {
    $roots = [
        'CDS\\Tests\\' => __DIR__ . '/',
        'CDS\\' => \dirname(__DIR__) . '/src/',
    ];
    foreach ($roots as $prefix => $dir) {
        if (\str_starts_with($class, $prefix)) {
            $file = $dir . \str_replace('\\', '/', \substr($class, \strlen($prefix))) . '.php';
            if (\is_file($file)) {
                require $file;
            }

            return;
        }
    }
});

$library = \getenv('CDS_LIBRARY');
if (!\is_string($library) || $library === '') {
    // tests → php → bindings → <repo>
    $library = \dirname(__DIR__, 3) . '/.build/release/libcds.so';
    \putenv('CDS_LIBRARY=' . $library);
}
if (!\is_file($library)) {
    \fwrite(\STDERR, "CDS tests: no library at {$library}; build it (swift build -c release) or set CDS_LIBRARY.\n");
}
