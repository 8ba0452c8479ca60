<?php

declare(strict_types=1);

namespace CDS\Tests;

/**
 * Members: created, got, updated and listed with filters.
 */
final class MemberTest extends CdsTestCase
{
    public function testMemberCreatedAnswersAnOpaqueIdAndTheFieldsGiven(): void
    {
        $db = $this->openDatabase();

        $member = $db->member->create(self::memberParams());

        self::assertIsString($member['id']);
        self::assertNotSame('', $member['id']);
        self::assertSame('Youssef Aït Brahim', $member['name']);
        self::assertSame('m', $member['gender']);
        self::assertSame(['diaspora'], $member['roles']);
        self::assertSame('FR', $member['residence_country']);
        self::assertSame('Lyon', $member['residence_city']);
        self::assertSame('09.581.03.03', self::codeOf($member['origin']));
    }

    public function testMemberGetAnswersTheCreatedMemberWithConsentsAndCompetences(): void
    {
        $db = $this->openDatabase();
        $created = $db->member->create(self::memberParams());

        $got = $db->member->get(['id' => $created['id']]);

        self::assertSame($created['id'], $got['id']);
        self::assertSame('Youssef Aït Brahim', $got['name']);
        self::assertSame('youssef@example.org', $got['email']);
        self::assertArrayHasKey('consents', $got);
        self::assertArrayHasKey('competences', $got);
        self::assertIsArray($got['consents']);
        self::assertIsArray($got['competences']);
    }

    public function testMemberUpdateChangesTheGivenFieldsKeepsTheOthersAndNullClearsAnOptionalOne(): void
    {
        $db = $this->openDatabase();
        $created = $db->member->create(self::memberParams());

        $updated = $db->member->update([
            'id' => $created['id'],
            'residence_country' => 'BE',
            'residence_city' => 'Bruxelles',
            'email' => null,
        ]);

        self::assertSame($created['id'], $updated['id']);
        self::assertSame('BE', $updated['residence_country']);
        self::assertSame('Bruxelles', $updated['residence_city']);
        self::assertNull($updated['email'] ?? null);
        self::assertSame('Youssef Aït Brahim', $updated['name']);
        self::assertSame(['diaspora'], $updated['roles']);

        $got = $db->member->get(['id' => $created['id']]);
        self::assertSame('Bruxelles', $got['residence_city']);
        self::assertNull($got['email'] ?? null);
    }

    public function testMemberListFiltersByRoleResidenceCountryOriginWithDescendantsAndName(): void
    {
        $db = $this->openDatabase();
        $lyon = $db->member->create(self::memberParams());
        $brussels = $db->member->create(self::memberParams([
            'name' => 'Fatima Zahra Ouali',
            'gender' => 'f',
            'email' => 'fatima@example.org',
            'residence_country' => 'BE',
            'residence_city' => 'Bruxelles',
            'origin' => '09.541.11.33',
        ]));
        $local = $db->member->create([
            'name' => 'Aicha Idbelkas',
            'gender' => 'f',
            'roles' => ['local_actor'],
            'residence_country' => 'MA',
            'residence_city' => 'Tafraout',
        ]);
        $ids = static fn (array $page): array => \array_column($page['items'], 'id');

        $all = $db->member->list();
        self::assertEqualsCanonicalizing([$lyon['id'], $brussels['id'], $local['id']], $ids($all));
        self::assertNull($all['next_cursor']);

        self::assertEqualsCanonicalizing([$lyon['id'], $brussels['id']], $ids($db->member->list(['role' => 'diaspora'])));
        self::assertSame([$local['id']], $ids($db->member->list(['role' => 'local_actor'])));
        self::assertSame([$brussels['id']], $ids($db->member->list(['residence_country' => 'BE'])));
        self::assertSame([$brussels['id']], $ids($db->member->list(['origin' => '09.541'])), 'a province includes its communes');
        self::assertSame([$lyon['id']], $ids($db->member->list(['origin' => '09.581.03.03'])));
        self::assertSame([$lyon['id']], $ids($db->member->list(['role' => 'diaspora', 'residence_country' => 'FR'])));
        self::assertSame([$brussels['id']], $ids($db->member->list(['q' => 'Fatima'])));
        self::assertSame([], $ids($db->member->list(['role' => 'admin'])));
    }

    public function testMemberListPagesWithLimitAndCursor(): void
    {
        $db = $this->openDatabase();
        $created = [];
        for ($i = 1; $i <= 5; ++$i) {
            $created[] = $db->member->create(self::memberParams(['name' => "Member {$i}", 'email' => "m{$i}@example.org"]))['id'];
        }

        $first = $db->member->list(['limit' => 2]);
        self::assertCount(2, $first['items']);
        self::assertIsString($first['next_cursor']);
        $seen = \array_column($first['items'], 'id');
        $cursor = $first['next_cursor'];
        while ($cursor !== null) {
            $page = $db->member->list(['limit' => 2, 'cursor' => $cursor]);
            $seen = \array_merge($seen, \array_column($page['items'], 'id'));
            $cursor = $page['next_cursor'];
        }

        self::assertCount(5, $seen);
        self::assertEqualsCanonicalizing($created, $seen);
    }
}
