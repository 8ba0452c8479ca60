<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ClosedException;
use CDS\Database;
use CDS\Exception;

/**
 * A database file keeps what was written; a closed handle refuses calls.
 */
final class PersistenceTest extends CdsTestCase
{
    public function testReopeningTheFileFindsTheMemberAndANonEmptyEventLog(): void
    {
        $path = $this->temporaryPath();
        $db = Database::open($path, ['now' => self::NOW, 'trusted' => true]);
        $member = $db->member->create(self::memberParams());
        $db->close();

        $reopened = $this->openDatabase($path);

        $got = $reopened->member->get(['id' => $member['id']]);
        self::assertSame('Youssef Aït Brahim', $got['name']);
        self::assertSame([$member['id']], \array_column($reopened->member->list()['items'], 'id'));
        $events = $reopened->event->list()['items'];
        self::assertNotEmpty($events);
        self::assertContains($member['id'], \array_column($events, 'subject'));
        foreach ($events as $event) {
            self::assertIsInt($event['seq']);
            self::assertIsString($event['type']);
        }
    }

    public function testTheEventLogOfAReopenedFileStillVerifies(): void
    {
        $path = $this->temporaryPath();
        $db = Database::open($path, ['now' => self::NOW, 'trusted' => true]);
        $db->member->create(self::memberParams());
        unset($db); // the destructor closes the handle

        $audit = $this->openDatabase($path)->audit->verify();

        self::assertTrue($audit['ok']);
        self::assertGreaterThanOrEqual(1, $audit['events']);
    }

    public function testSnapshotAfterEventsIsAnOpenOptionAndANegativeCountIsInvalidParams(): void
    {
        $path = $this->temporaryPath();
        $db = Database::open($path, ['now' => self::NOW, 'trusted' => true, 'snapshot_after_events' => 1]);
        $member = $db->member->create(self::memberParams());
        $db->indicators->compute(['as_of' => '2026-03-01']);
        $db->close();

        self::assertSame($member['id'], $this->openDatabase($path)->member->get(['id' => $member['id']])['id']);
        try {
            Database::open($path, ['snapshot_after_events' => -1]);
            self::fail('a negative snapshot_after_events opened');
        } catch (\CDS\InvalidParamsException $e) {
            self::assertStringContainsString('snapshot_after_events', $e->getMessage());
        }
    }

    public function testReadOnlyOpenFindsTheMemberAndRefusesToWrite(): void
    {
        $path = $this->temporaryPath();
        $db = Database::open($path, ['now' => self::NOW, 'trusted' => true]);
        $member = $db->member->create(self::memberParams());
        $db->close();

        $readOnly = $this->openDatabase($path, ['read_only' => true, 'busy_timeout_ms' => 1000]);

        self::assertSame($member['id'], $readOnly->member->get(['id' => $member['id']])['id']);
        try {
            $readOnly->member->create(self::memberParams(['name' => 'Second']));
            self::fail('a read-only database accepted a write');
        } catch (Exception $e) {
            self::assertNotInstanceOf(ClosedException::class, $e);
        }
        self::assertCount(1, $readOnly->member->list()['items']);
    }

    public function testCallAfterCloseThrowsClosedException(): void
    {
        $db = $this->openDatabase();
        $db->close();

        self::assertTrue($db->isClosed());
        try {
            $db->call('meta.version');
            self::fail('a closed database answered');
        } catch (ClosedException $e) {
            self::assertSame('closed', $e->getErrorCode());
        }
        $this->expectException(ClosedException::class);
        $db->member->list();
    }

    public function testCloseIsIdempotent(): void
    {
        $db = $this->openDatabase();
        self::assertFalse($db->isClosed());

        $db->close();
        $db->close();

        self::assertTrue($db->isClosed());
    }

    public function testOpeningAFileInADirectoryThatDoesNotExistThrowsACdsException(): void
    {
        $this->expectException(Exception::class);
        Database::open(\sys_get_temp_dir() . '/cds-php-no-such-dir-' . \uniqid() . '/cds.sqlite');
    }

    public function testInMemoryDatabasesAreIndependent(): void
    {
        $a = $this->openDatabase(':memory:');
        $b = $this->openDatabase(':memory:');

        $a->member->create(self::memberParams());

        self::assertCount(1, $a->member->list()['items']);
        self::assertCount(0, $b->member->list()['items']);
    }
}
