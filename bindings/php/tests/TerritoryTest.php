<?php

declare(strict_types=1);

namespace CDS\Tests;

/**
 * Reference territories: the communes of Morocco (HCP codes) in French and Arabic.
 */
final class TerritoryTest extends CdsTestCase
{
    public function testTerritoryGetOfTalmakanteAnswersItsFrenchAndArabicNamesAsACommuneOfProvince09541(): void
    {
        $db = $this->openDatabase();

        $territory = $db->territory->get(['code' => '09.541.11.33']);

        self::assertSame('09.541.11.33', $territory['code']);
        self::assertSame('commune', $territory['level']);
        self::assertSame('09.541', self::codeOf($territory['parent']));
        self::assertSame('Talmakante', $territory['name']['fr']);
        self::assertSame('تالماكانت', $territory['name']['ar']);
    }

    public function testTerritoryGetThroughCallAndThroughTheMagicNamespaceAnswerTheSame(): void
    {
        $db = $this->openDatabase();

        self::assertSame(
            $db->call('territory.get', ['code' => '09.541.11.33']),
            $db->territory->get(code: '09.541.11.33'),
        );
    }

    public function testTerritoryListOfTheCommunesOfProvince09541AnswersExactlyItsEightyNineCommunes(): void
    {
        $db = $this->openDatabase();

        $page = $db->territory->list(['level' => 'commune', 'parent' => '09.541']);

        self::assertArrayHasKey('next_cursor', $page);
        $items = $page['items'];
        $cursor = $page['next_cursor'];
        while ($cursor !== null) { // 89 fits the default limit of 100, but do not rely on it
            $page = $db->territory->list(['level' => 'commune', 'parent' => '09.541', 'cursor' => $cursor]);
            $items = \array_merge($items, $page['items']);
            $cursor = $page['next_cursor'];
        }
        self::assertCount(89, $items);
        $codes = \array_column($items, 'code');
        self::assertCount(89, \array_unique($codes));
        self::assertContains('09.541.11.33', $codes);
        foreach ($items as $item) {
            self::assertSame('commune', $item['level'], $item['code']);
            self::assertSame('09.541', self::codeOf($item['parent']), $item['code']);
            self::assertStringStartsWith('09.541.', $item['code']);
        }
    }

    public function testTerritoryListPagesWithLimitAndCursorWithoutRepeatingAnItem(): void
    {
        $db = $this->openDatabase();

        $codes = [];
        $cursor = null;
        $pages = 0;
        do {
            $params = ['level' => 'commune', 'parent' => '09.541', 'limit' => 40];
            if ($cursor !== null) {
                $params['cursor'] = $cursor;
            }
            $page = $db->territory->list($params);
            self::assertLessThanOrEqual(40, \count($page['items']));
            $codes = \array_merge($codes, \array_column($page['items'], 'code'));
            $cursor = $page['next_cursor'];
            ++$pages;
        } while ($cursor !== null && $pages < 10);

        self::assertSame(3, $pages);
        self::assertCount(89, \array_unique($codes));
        self::assertCount(89, $codes);
    }
}
