<?php

/**
 * The page Tests/Package/web.py serves through php -S and PHP-FPM: the library's version
 * from an in-memory database, then a member created in the file ?db= and every member of
 * that file listed with pages(). Answers JSON; an error is a 500 with the exception.
 */

declare(strict_types=1);

// opcache.preload compiled the CDS\ classes already; otherwise Composer's autoloader finds them.
if (!\class_exists(\CDS\Database::class, false)) {
    require __DIR__ . '/vendor/autoload.php';
}

\header('Content-Type: application/json');
try {
    $memory = \CDS\Database::open(':memory:');
    $version = $memory->meta->version()['version'];
    $memory->close();

    $db = \CDS\Database::open((string) ($_GET['db'] ?? ''), ['busy_timeout_ms' => 5000]);
    $member = $db->member->create([
        'name' => 'Hassan Ait ' . ($_GET['name'] ?? 'Baha'),
        'gender' => 'm',
        'roles' => ['diaspora'],
        'residence_country' => 'BE',
        // Signed up anonymously, as on a portal's form: consenting to publication, he is listed for anyone.
        'consents' => [['purpose' => 'publication', 'version' => '2026-01']],
    ]);
    $listed = \array_column(\iterator_to_array($db->pages('member.list', limit: 1)), 'id');
    $db->close();

    echo \json_encode([
        'sapi' => \PHP_SAPI,
        'preloaded' => \CDS\Library::isPreloaded(),
        'version' => $version,
        'created' => $member['id'],
        'listed' => $listed,
    ]);
} catch (\Throwable $e) {
    \http_response_code(500);
    echo \json_encode(['error' => \get_class($e), 'message' => $e->getMessage()]);
}
