<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\InvalidParamsException;

/**
 * Database::pages(): every item of a list method, page after page, as Python's db.pages().
 */
final class PagesTest extends CdsTestCase
{
    public function testPagesYieldsEveryItemOfEveryPageOnceInOrder(): void
    {
        $db = $this->openDatabase();
        $created = [];
        for ($i = 1; $i <= 5; $i++) {
            $created[] = $db->member->create(self::memberParams(['name' => "Membre $i", 'email' => "m$i@example.org"]))['id'];
        }
        $firstPage = $db->member->list(['limit' => 2]);
        self::assertCount(2, $firstPage['items']);
        self::assertNotNull($firstPage['next_cursor'], 'two per page leaves more to follow');

        $items = \iterator_to_array($db->pages('member.list', ['limit' => 2]));

        self::assertSame(\range(0, 4), \array_keys($items), 'keys run on across pages');
        self::assertSame(
            \array_column($db->member->list(['limit' => 100])['items'], 'id'),
            \array_column($items, 'id'),
        );
        self::assertEqualsCanonicalizing($created, \array_column($items, 'id'));
    }

    public function testPagesTakesNamedArgumentsAsParams(): void
    {
        $db = $this->openDatabase();
        $fr = $db->member->create(self::memberParams(['residence_country' => 'FR']))['id'];
        $db->member->create(self::memberParams(['residence_country' => 'BE', 'email' => 'be@example.org']));

        $ids = \array_column(\iterator_to_array($db->pages('member.list', limit: 1, residence_country: 'FR')), 'id');

        self::assertSame([$fr], $ids);
    }

    public function testPagesOfAnEmptyListYieldNothing(): void
    {
        $db = $this->openDatabase();

        self::assertSame([], \iterator_to_array($db->pages('member.list')));
    }

    public function testAnErrorOfAPageIsThrownWhenIteratedAndNotBefore(): void
    {
        $db = $this->openDatabase();
        $pages = $db->pages('member.list', ['limit' => -1]); // nothing is called yet

        try {
            \iterator_to_array($pages);
            self::fail('a negative limit should be refused');
        } catch (InvalidParamsException $e) {
            self::assertSame('limit', $e->getDetails()['field']);
        }
    }

    public function testAPositionalArgumentAfterTheParamsIsRefused(): void
    {
        $db = $this->openDatabase();

        $this->expectException(\InvalidArgumentException::class);
        \iterator_to_array($db->pages('member.list', [], 50));
    }
}
