<?php

declare(strict_types=1);

namespace CDS\Tests;

/**
 * Organizations and partnership agreements with communal councils.
 */
final class AgreementTest extends CdsTestCase
{
    public function testCommuneOfAnziCreatedAsAnOrganizationSignsAnAgreementOnTheFifteenthOfJanuary(): void
    {
        $db = $this->openDatabase();

        $commune = $db->organization->create([
            'kind' => 'commune',
            'name' => 'Commune d\'Anzi',
            'territory' => '09.581.03.03',
        ]);
        self::assertIsString($commune['id']);
        self::assertSame('commune', $commune['kind']);
        self::assertSame('09.581.03.03', self::codeOf($commune['territory']));
        self::assertSame($commune['id'], $db->organization->get(['id' => $commune['id']])['id']);

        $agreement = $db->agreement->sign([
            'organization' => $commune['id'],
            'signed_on' => '2026-01-15',
        ]);

        self::assertIsString($agreement['id']);
        self::assertSame($commune['id'], self::idOf($agreement['organization']));
        self::assertSame('2026-01-15', $agreement['signed_on']);
    }

    public function testAgreementListInForceOnADateAnswersOnlyTheAgreementsSignedByThen(): void
    {
        $db = $this->openDatabase();
        $commune = $db->organization->create(['kind' => 'commune', 'name' => 'Commune d\'Anzi', 'territory' => '09.581.03.03']);
        $agreement = $db->agreement->sign(['organization' => $commune['id'], 'signed_on' => '2026-01-15']);

        $inForce = $db->agreement->list(['organization' => $commune['id'], 'in_force_on' => '2026-03-01']);
        $before = $db->agreement->list(['organization' => $commune['id'], 'in_force_on' => '2026-01-14']);

        self::assertSame([$agreement['id']], \array_column($inForce['items'], 'id'));
        self::assertSame([], $before['items']);
    }

    /** The id of a value answered as an id or as an object with an id. */
    private static function idOf(mixed $value): mixed
    {
        return \is_array($value) && isset($value['id']) ? $value['id'] : $value;
    }
}
