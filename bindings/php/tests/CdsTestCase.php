<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Database;
use CDS\Library;
use PHPUnit\Framework\TestCase;

/**
 * Opens databases in temporary files (sys_get_temp_dir() + uniqid) and removes them,
 * with their -wal/-shm/-journal companions, after each test.
 */
abstract class CdsTestCase extends TestCase
{
    /** The fixed clock most tests run under. */
    protected const NOW = '2026-03-01T09:00:00Z';

    /** @var list<Database> */
    private array $databases = [];

    /** @var list<string> */
    private array $paths = [];

    protected function tearDown(): void
    {
        foreach ($this->databases as $db) {
            $db->close();
        }
        $this->databases = [];
        foreach ($this->paths as $path) {
            foreach (['', '-wal', '-shm', '-journal'] as $suffix) {
                if (\is_file($path . $suffix)) {
                    \unlink($path . $suffix);
                }
            }
        }
        $this->paths = [];
        parent::tearDown();
    }

    /** A fresh path in the temporary directory, removed after the test. */
    protected function temporaryPath(): string
    {
        $path = \sys_get_temp_dir() . '/cds-php-test-' . \uniqid('', true) . '.sqlite';
        $this->paths[] = $path;

        return $path;
    }

    /**
     * Opens a database (a fresh temporary file unless $path is given), closed after the test;
     * as the trusted system unless $options say `'trusted' => false`.
     *
     * @param array<string, mixed> $options
     */
    protected function openDatabase(?string $path = null, array $options = ['now' => self::NOW]): Database
    {
        $db = Database::open($path ?? $this->temporaryPath(), $options + ['trusted' => true]);
        $this->databases[] = $db;

        return $db;
    }

    /** A member as the tests create it, with $overrides replacing or adding fields. */
    protected static function memberParams(array $overrides = []): array
    {
        return $overrides + [
            'name' => 'Youssef Aït Brahim',
            'gender' => 'm',
            'roles' => ['diaspora'],
            'email' => 'youssef@example.org',
            'residence_country' => 'FR',
            'residence_city' => 'Lyon',
            'origin' => '09.581.03.03',
            'languages' => ['fr', 'ar'],
        ];
    }

    /** The territory code of a value answered as a code or as an object with a code. */
    protected static function codeOf(mixed $value): mixed
    {
        return \is_array($value) && isset($value['code']) ? $value['code'] : $value;
    }

    /**
     * Every item of a list method, over every page.
     *
     * @param array<string, mixed> $params
     *
     * @return list<array<string, mixed>>
     */
    protected static function all(Database $db, string $method, array $params = []): array
    {
        $items = [];
        $params['limit'] = 1000;
        do {
            $page = $db->call($method, $params);
            \array_push($items, ...$page['items']);
            $params['cursor'] = $page['next_cursor'] ?? null;
        } while ($params['cursor'] !== null);

        return $items;
    }

    /** The raw FFI instance, for tests of the C ABI itself. */
    protected static function ffi(): \FFI
    {
        return Library::ffi();
    }
}
