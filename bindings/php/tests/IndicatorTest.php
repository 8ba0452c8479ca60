<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ConflictException;
use CDS\Database;
use CDS\InvalidParamsException;

/**
 * Indicators counted from the facts as of any date, contributions, and data protection.
 *
 * The Story below is IndicatorTests.Story of Tests/CDSTests/IndicatorTests.swift rebuilt
 * through this binding (same calls, same `at` values), and the values checked are the ones
 * counted by hand in its test handCounted. The contribution and privacy tests follow
 * ContributionTests.swift and PrivacyTests.swift, so that the Swift facade, the C door and
 * this binding prove the same rules.
 */
final class IndicatorTest extends CdsTestCase
{
    /** Commune of Anzi, province of Tiznit (09.581). */
    private const ANZI = '09.581.03.03';

    /** Commune of Talmakante, province of Taroudannt (09.541). */
    private const TALMAKANTE = '09.541.11.33';

    /** The five seed indicators, in the order indicators.definitions lists them, and their default targets. */
    private const SEED_TARGETS = [
        'migrants_mobilized' => 60,
        'collectivities_engaged' => 5,
        'collectivities_with_competent_adc' => 5,
        'actors_linked' => 40,
        'territories_connected' => null,
    ];

    // -- hand counts ---------------------------------------------------------------------

    public function testCollectivitiesEngagedCountAgreementsInForceAndAnEndedOneStopsOnItsEndDay(): void
    {
        [$db, $ids] = $this->story();

        self::assertSame(0, self::value($db, 'collectivities_engaged', '2026-01-12')); // none before Jan 13
        self::assertSame(2, self::value($db, 'collectivities_engaged', '2026-03-31'));
        self::assertSame(2, self::value($db, 'collectivities_engaged', '2026-06-29'));
        self::assertSame(1, self::value($db, 'collectivities_engaged', '2026-06-30')); // Talmakante's ended that day
        // Provenance: the organizations counted.
        self::assertSame(self::sorted([$ids['anzi'], $ids['talmakante']]), self::sorted(self::indicator($db, 'collectivities_engaged', '2026-03-31')['ids']));
        self::assertSame([$ids['anzi']], self::indicator($db, 'collectivities_engaged', '2026-06-30')['ids']);
    }

    public function testCollectivitiesWithCompetentAdcCountFromTheSecondCompetenceUntilTheAdcLosesHerCommune(): void
    {
        [$db] = $this->story();

        self::assertSame(0, self::value($db, 'collectivities_with_competent_adc', '2026-02-25')); // one competence each
        self::assertSame(1, self::value($db, 'collectivities_with_competent_adc', '2026-02-26')); // Anzi's ADC
        self::assertSame(2, self::value($db, 'collectivities_with_competent_adc', '2026-03-10')); // and Talmakante's
        self::assertSame(1, self::value($db, 'collectivities_with_competent_adc', '2026-09-01')); // she lost her commune
        self::assertSame(self::sorted([self::ANZI, self::TALMAKANTE]), self::sorted(self::indicator($db, 'collectivities_with_competent_adc', '2026-03-10')['ids']));
        self::assertSame([self::ANZI], self::indicator($db, 'collectivities_with_competent_adc', '2026-09-01')['ids']);
    }

    public function testMigrantsMobilizedCountConfirmedContributionsHeartDiasporaIncludedUntilCancelled(): void
    {
        [$db, $ids] = $this->story();

        self::assertSame(0, self::value($db, 'migrants_mobilized', '2026-06-09')); // Lyon only pledged
        self::assertSame(1, self::value($db, 'migrants_mobilized', '2026-06-10')); // Lyon confirmed
        self::assertSame(2, self::value($db, 'migrants_mobilized', '2026-07-01')); // the heart-diaspora member counts
        self::assertSame(2, self::value($db, 'migrants_mobilized', '2026-10-14'));
        self::assertSame(1, self::value($db, 'migrants_mobilized', '2026-10-15')); // her cancelled contribution stops counting
        // Provenance: the members counted, by id.
        $counted = self::indicator($db, 'migrants_mobilized', '2026-07-01');
        self::assertSame(self::sorted([$ids['bcn'], $ids['lyon']]), self::sorted($counted['ids']));
        self::assertSame('members', $counted['counts']);
        self::assertSame([$ids['lyon']], self::indicator($db, 'migrants_mobilized', '2026-10-15')['ids']);
    }

    public function testARegionRollsUpItsProvincesAndAProvinceCountsOnlyItsOwn(): void
    {
        [$db, $ids] = $this->story();

        self::assertSame(1, self::value($db, 'migrants_mobilized', '2026-07-01', '09.541')); // Taroudannt: the solar project
        self::assertSame([$ids['bcn']], self::indicator($db, 'migrants_mobilized', '2026-07-01', '09.541')['ids']);
        self::assertSame(2, self::value($db, 'migrants_mobilized', '2026-07-01', '09')); // Souss-Massa: both provinces
        self::assertSame(1, self::value($db, 'collectivities_engaged', '2026-03-31', '09.581')); // Tiznit: Anzi only
        self::assertSame([$ids['anzi']], self::indicator($db, 'collectivities_engaged', '2026-03-31', '09.581')['ids']);
    }

    public function testActorsLinkedAndTerritoriesConnectedFollowInteractionsContributionsAndOrigins(): void
    {
        [$db, $ids] = $this->story();

        // Actors linked: the cooperative (interaction, May 5), the association leading a project Lyon contributes to (Jun 10).
        self::assertSame(0, self::value($db, 'actors_linked', '2026-05-04'));
        self::assertSame(1, self::value($db, 'actors_linked', '2026-05-05'));
        self::assertSame(2, self::value($db, 'actors_linked', '2026-06-10'));
        self::assertSame(self::sorted([$ids['coop'], $ids['lead']]), self::sorted(self::indicator($db, 'actors_linked', '2026-06-10')['ids']));
        // Territories connected: Anzi by the engineer's origin from Feb 10; Talmakante by the contribution Jul 1 – Oct 15.
        self::assertSame(0, self::value($db, 'territories_connected', '2026-02-09'));
        self::assertSame(1, self::value($db, 'territories_connected', '2026-02-10'));
        self::assertSame(2, self::value($db, 'territories_connected', '2026-07-01'));
        self::assertSame(1, self::value($db, 'territories_connected', '2026-10-15'));
    }

    public function testAQuarterlySeriesAnswersOnePeriodPerQuarterValuedOnItsLastDay(): void
    {
        [$db] = $this->story();

        $series = $db->indicators->compute([
            'period' => 'quarter', 'from' => '2026-01-01', 'until' => '2026-12-31', 'indicators' => ['migrants_mobilized'],
        ])['series'];

        self::assertSame(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], \array_column($series, 'period'));
        self::assertSame(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31'], \array_column($series, 'as_of'));
        self::assertSame(
            \array_fill(0, 4, ['migrants_mobilized']),
            \array_map(static fn (array $p): array => \array_column($p['indicators'], 'id'), $series),
        );
        self::assertSame([0, 1, 2, 1], \array_map(static fn (array $p): int => $p['indicators'][0]['value'], $series));
    }

    // -- definitions and targets ---------------------------------------------------------

    public function testDefinitionsListTheFiveSeedIndicatorsWithTheirDefaultTargets(): void
    {
        $db = $this->openDatabase();

        $definitions = $db->indicators->definitions()['indicators'];

        self::assertSame(\array_keys(self::SEED_TARGETS), \array_slice(\array_column($definitions, 'id'), 0, 5));
        $byId = \array_column($definitions, null, 'id');
        foreach (self::SEED_TARGETS as $id => $target) {
            self::assertSame($target, $byId[$id]['default_target'], $id);
            self::assertSame($target, $byId[$id]['target'], $id);
            self::assertNotSame('', $byId[$id]['definition'] ?? '', $id); // the exact definition, in words
        }
        self::assertSame('Migrants mobilized', $byId['migrants_mobilized']['labels']['en']);
        self::assertSame('المهاجرون المعبؤون', $db->indicators->definitions(['locale' => 'ar'])['indicators'][0]['label']);
    }

    public function testSetTargetChangesTheTargetDefinitionsAndComputeAnswerAndKeepsTheDefault(): void
    {
        [$db] = $this->story();

        self::assertSame(['id' => 'migrants_mobilized', 'target' => 4], $db->indicators->set_target(['id' => 'migrants_mobilized', 'target' => 4]));
        $mobilized = \array_column($db->indicators->definitions()['indicators'], null, 'id')['migrants_mobilized'];
        self::assertSame(4, $mobilized['target']);
        self::assertSame(60, $mobilized['default_target']);
        $computed = self::indicator($db, 'migrants_mobilized', '2026-07-01');
        self::assertSame(4, $computed['target']);
        self::assertSame(0.5, $computed['progress']); // 2 of 4

        // An indicator with no default target may be given one.
        $db->indicators->set_target(['id' => 'territories_connected', 'target' => 12]);
        self::assertSame(12, self::indicator($db, 'territories_connected', '2026-07-01')['target']);
    }

    // -- bad input -----------------------------------------------------------------------

    /**
     * @dataProvider badIndicatorInput
     *
     * @param array<string, mixed> $params
     */
    public function testBadIndicatorInputIsInvalidParamsNamingTheField(array $params, string $field): void
    {
        $db = $this->openDatabase();

        try {
            $db->indicators->compute($params);
            self::fail('accepted: ' . \json_encode($params));
        } catch (InvalidParamsException $e) {
            self::assertSame('invalid_params', $e->getErrorCode());
            self::assertSame($field, $e->getDetails()['field'] ?? null, \json_encode($e->getDetails(), \JSON_UNESCAPED_UNICODE));
        }
    }

    /** @return array<string, array{array<string, mixed>, string}> */
    public static function badIndicatorInput(): array
    {
        return [
            'unknown indicator' => [['indicators' => ['happiness']], 'indicators[0]'],
            'territory that does not exist' => [['territory' => '99.999'], 'territory'],
            'from after until' => [['period' => 'month', 'from' => '2026-05-01', 'until' => '2026-01-01'], 'from'],
            'period week' => [['period' => 'week', 'from' => '2026-01-01', 'until' => '2026-02-01'], 'period'],
            'from and until without period' => [['from' => '2026-01-01', 'until' => '2026-02-01'], 'period'],
            'rate not a number' => [['rates' => [['from' => 'EUR', 'rate' => 'ten', 'on' => '2026-01-01']]], 'rates.rate'],
        ];
    }

    // -- contributions and interactions --------------------------------------------------

    public function testAContributionGoesPledgedConfirmedDeliveredNeverBackAndItsNeedFollows(): void
    {
        $a = $this->anzi();
        $db = $a['db'];
        $p = $this->formulated($a);
        $need = $this->makePrecise($a, $p); // 10 person-days of hydraulic design
        self::assertSame('open', $db->need->get(['id' => $need])['status']);

        $c = $db->contribution->create([
            'project' => $p, 'need' => $need, 'member' => $a['outsider'], 'kind' => 'skill',
            'quantity' => ['unit' => 'person_days', 'amount' => 6], 'on' => '2026-06-10',
        ]);
        self::assertSame('pledged', $c['status']);
        self::assertSame('2026-06-10', $c['pledged_on']);
        $confirmed = $db->contribution->update(['id' => $c['id'], 'status' => 'confirmed', 'on' => '2026-06-20']);
        self::assertSame('confirmed', $confirmed['status']);
        self::assertSame('2026-06-20', $confirmed['confirmed_on']);
        self::assertSame('partly_covered', $db->need->get(['id' => $need])['status']); // 6 of 10

        $c2 = $db->contribution->create([
            'project' => $p, 'need' => $need, 'member' => $a['outsider'], 'kind' => 'skill',
            'quantity' => ['unit' => 'person_days', 'amount' => 4],
        ])['id'];
        $db->contribution->update(['id' => $c2, 'status' => 'confirmed']);
        self::assertSame('covered', $db->need->get(['id' => $need])['status']); // 10 of 10
        $db->contribution->update(['id' => $c2, 'status' => 'cancelled']);
        self::assertSame('partly_covered', $db->need->get(['id' => $need])['status'], 'a cancelled contribution stops covering');
        try {
            $db->contribution->update(['id' => $c2, 'status' => 'confirmed']);
            self::fail('a cancelled contribution was confirmed again');
        } catch (ConflictException $e) {
            self::assertSame('conflict', $e->getErrorCode());
        }

        try {
            $db->contribution->update(['id' => $c['id'], 'status' => 'delivered', 'on' => '2026-06-01']); // before its confirmation
            self::fail('a contribution was delivered before it was confirmed');
        } catch (InvalidParamsException $e) {
            self::assertSame('on', $e->getDetails()['field'] ?? null);
        }
        $delivered = $db->contribution->update(['id' => $c['id'], 'status' => 'delivered', 'on' => '2026-08-30']);
        self::assertSame('delivered', $delivered['status']);
        self::assertSame('2026-08-30', $delivered['delivered_on']);

        // Delivered is final: it goes back to nothing, not even cancelled.
        foreach (['pledged', 'confirmed', 'cancelled'] as $status) {
            try {
                $db->contribution->update(['id' => $c['id'], 'status' => $status]);
                self::fail("a delivered contribution became {$status}");
            } catch (ConflictException $e) {
                self::assertSame('conflict', $e->getErrorCode());
                self::assertSame(['from' => 'delivered', 'to' => $status], $e->getDetails());
            }
        }
        self::assertSame('delivered', $db->contribution->get(['id' => $c['id']])['status']);
        self::assertSame('partly_covered', $db->need->get(['id' => $need])['status'], 'a delivered contribution still covers');

        self::assertSame([$c['id']], \array_column(self::all($db, 'contribution.list', ['member' => $a['outsider'], 'status' => 'delivered']), 'id'));
        self::assertCount(2, self::all($db, 'contribution.list', ['project' => $p]));
    }

    public function testAnInteractionLinksADiasporaMemberOrAssociationWithAMoroccanActorNobodyElse(): void
    {
        $a = $this->anzi();
        $db = $a['db'];

        $visit = $db->interaction->create([
            'kind' => 'visit', 'on' => '2026-08-12', 'member' => $a['outsider'], 'organization' => $a['lead'],
            'local_member' => $a['representative'],
        ]);
        self::assertSame('visit', $visit['kind']);
        $association = $db->organization->create(['kind' => 'diaspora_association', 'name' => 'Tafraoutis', 'country' => 'FR'])['id'];
        $refused = [
            'member' => ['kind' => 'call', 'on' => '2026-08-12', 'member' => $a['adc'], 'organization' => $a['lead']], // an ADC is no diaspora member
            'organization' => ['kind' => 'call', 'on' => '2026-08-12', 'member' => $a['outsider'], 'organization' => $association], // nor an association a Moroccan actor
        ];
        foreach ($refused as $field => $params) {
            try {
                $db->interaction->create($params);
                self::fail("accepted: bad {$field}");
            } catch (InvalidParamsException $e) {
                self::assertSame($field, $e->getDetails()['field'] ?? null);
            }
        }
        $db->interaction->create(['kind' => 'webinar', 'on' => '2026-09-01', 'diaspora_organization' => $association, 'organization' => $a['commune']]);
        self::assertCount(1, self::all($db, 'interaction.list', ['organization' => $a['commune']]));
        self::assertSame([$visit['id']], \array_column($db->member->export(['id' => $a['outsider']])['interactions'], 'id'));
    }

    // -- data protection -----------------------------------------------------------------

    public function testAnExportHoldsTheProfileTheProjectsAndEveryEventThatNamesThePerson(): void
    {
        $a = $this->anzi();
        $this->formulated($a);

        $export = $a['db']->member->export(['id' => $a['adc']]);

        self::assertSame('cds.member-export', $export['format']);
        self::assertSame(1, $export['version']);
        self::assertSame($a['adc'], $export['member']['id']);
        self::assertSame('Youssef', $export['member']['name']);
        self::assertContains('adc', $export['projects'][0]['roles']);
        $types = \array_unique(\array_column($export['events'], 'type'));
        foreach (['member.created', 'project.created', 'project.transitioned'] as $type) {
            self::assertContains($type, $types);
        }
    }

    public function testErasingMembersKeepsEveryIndicatorWithItsProvenance(): void
    {
        [$db, $ids] = $this->story();
        $everything = static fn (): array => \array_map(
            static fn (string $day): array => $db->indicators->compute(['as_of' => $day, 'provenance' => true])['indicators'],
            ['2026-03-31', '2026-07-01', '2026-12-31'],
        );

        $before = $everything();
        foreach (['lyon', 'bcn', 'adc.anzi', 'adc.talm'] as $key) {
            $erased = $db->member->erase(['id' => $ids[$key]]);
            self::assertStringStartsWith('Membre effacé', $erased['name']);
            self::assertNull($erased['email']);
            self::assertNotNull($erased['erased_at']);
        }

        self::assertSame($before, $everything());
        self::assertStringStartsWith('Membre effacé', $db->member->get(['id' => $ids['bcn']])['name']);
        self::assertSame(self::ANZI, $db->member->get(['id' => $ids['lyon']])['origin'], 'what indicators count stays');
    }

    public function testAfterErasureNoFieldOfThePersonRemainsInTheDatabaseFile(): void
    {
        $path = $this->temporaryPath();
        $db = $this->openDatabase($path);
        $zoubida = $db->member->create([
            'name' => 'Zoubida Tiguemmi', 'gender' => 'f', 'roles' => ['diaspora'], 'residence_country' => 'FR',
            'email' => 'zoubida.t@example.org', 'phone' => '+33 6 12 34 56 78', 'residence_city' => 'Montpellier',
            'origin' => self::TALMAKANTE, 'consents' => [['purpose' => 'contact', 'version' => 'v1']],
        ])['id'];
        $db->member->update(['id' => $zoubida, 'name' => 'Zoubida Tiguemmi-Ouali', 'residence_city' => 'Montpellier-Ouest']);
        for ($n = 0; $n < 50; $n++) {
            $db->member->create(['name' => "Other {$n}", 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR']);
        }
        self::assertSame('zoubida.t@example.org', $db->member->export(['id' => $zoubida])['member']['email']);

        $erased = $db->member->erase(['id' => $zoubida]);
        self::assertStringStartsWith('Membre effacé', $erased['name']);
        self::assertNull($erased['email']);
        self::assertNull($erased['phone']);
        self::assertSame(self::TALMAKANTE, $erased['origin'], 'what indicators count stays');
        foreach ($erased['consents'] as $consent) {
            self::assertNotNull($consent['withdrawn_at']);
        }
        self::assertNull($db->member->get(['id' => $zoubida])['email']);
        $audit = $db->audit->verify();
        self::assertTrue($audit['ok'], 'the chain still verifies');
        self::assertSame(2, $audit['redacted'], 'her member.created and member.updated events are redacted');
        try {
            $db->member->update(['id' => $zoubida, 'name' => 'Back']);
            self::fail('an erased member was updated');
        } catch (ConflictException $e) {
            self::assertSame('conflict', $e->getErrorCode());
        }
        self::assertNoTrace($path, 'while open');

        $db->close();
        self::assertNoTrace($path, 'after closing');
    }

    public function testAnErasedMemberExportsAsTheSurrogateAndCannotBeErasedTwice(): void
    {
        $db = $this->openDatabase();
        $hanane = $db->member->create(['name' => 'Hanane', 'gender' => 'f', 'roles' => ['diaspora'], 'residence_country' => 'FR', 'email' => 'hanane@example.org'])['id'];
        $db->member->erase(['id' => $hanane]);

        $export = $db->member->export(['id' => $hanane]);

        self::assertSame('cds.member-export', $export['format']);
        self::assertStringStartsWith('Membre effacé', $export['member']['name']);
        self::assertNull($export['member']['email']);
        $this->expectException(ConflictException::class);
        $db->member->erase(['id' => $hanane]);
    }

    /** No byte of Zoubida's name, e-mail, phone or city in the file, its WAL or its shared memory. */
    private static function assertNoTrace(string $path, string $when): void
    {
        $bytes = '';
        foreach (['', '-wal', '-shm'] as $suffix) {
            if (\is_file($path . $suffix)) {
                $bytes .= (string) \file_get_contents($path . $suffix);
            }
        }
        self::assertGreaterThan(10_000, \strlen($bytes), $when);
        foreach (['Zoubida', 'zoubida', 'Tiguemmi', 'tiguemmi', 'zoubida.t@example.org', '+33 6 12 34 56 78', 'Montpellier', 'montpellier'] as $needle) {
            self::assertFalse(\str_contains($bytes, $needle), "{$needle} is still in the file {$when}");
        }
    }

    // -- the Story, as IndicatorTests.swift ----------------------------------------------

    /**
     * Builds IndicatorTests.Story step by step, with dates, in a fresh database.
     *
     * @return array{Database, array<string, string>} the database and the Story's ids by key
     */
    private function story(): array
    {
        $db = $this->openDatabase();
        $ids = [];
        $make = static function (string $key, string $method, array $params) use ($db, &$ids): void {
            $ids[$key] = $db->call($method, $params)['id'];
        };
        $make('fac', 'member.create', ['name' => 'Fac', 'gender' => 'f', 'roles' => ['facilitator'], 'residence_country' => 'MA', 'at' => '2026-01-02T08:00:00Z']);
        // Communes and agreements: Anzi (Tiznit) from Jan 13, Talmakante (Taroudannt) Jan 15 – ended Jun 30.
        $make('anzi', 'organization.create', ['kind' => 'commune', 'territory' => self::ANZI, 'at' => '2026-01-05T08:00:00Z']);
        $make('talmakante', 'organization.create', ['kind' => 'commune', 'territory' => self::TALMAKANTE, 'at' => '2026-01-05T08:00:00Z']);
        $make('agr.anzi', 'agreement.sign', ['organization' => $ids['anzi'], 'signed_on' => '2026-01-13', 'at' => '2026-01-13T10:00:00Z']);
        $make('agr.talmakante', 'agreement.sign', ['organization' => $ids['talmakante'], 'signed_on' => '2026-01-15', 'at' => '2026-01-15T10:00:00Z']);
        $db->agreement->end(['id' => $ids['agr.talmakante'], 'ended_on' => '2026-06-30', 'at' => '2026-06-30T10:00:00Z']);
        // ADCs: Anzi's becomes competent on Feb 26; Talmakante's too, then loses her commune on Sep 1.
        $make('adc.anzi', 'member.create', ['name' => 'A', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::ANZI, 'at' => '2026-01-20T08:00:00Z']);
        $make('adc.talm', 'member.create', ['name' => 'B', 'gender' => 'f', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::TALMAKANTE, 'at' => '2026-01-20T08:00:00Z']);
        foreach ([
            ['adc.anzi', 'project_engineering', '2026-02-25'], ['adc.anzi', 'communication', '2026-02-26'],
            ['adc.talm', 'project_engineering', '2026-02-25'], ['adc.talm', 'communication', '2026-03-10'],
        ] as [$adc, $competence, $day]) {
            $db->competence->attest(['member' => $ids[$adc], 'competence' => $competence, 'attested_on' => $day, 'by' => $ids['fac'], 'at' => "{$day}T16:00:00Z"]);
        }
        $db->member->update(['id' => $ids['adc.talm'], 'adc_commune' => null, 'at' => '2026-09-01T08:00:00Z']);
        // Diaspora: an engineer from Anzi in Lyon, a heart-diaspora teacher in Barcelona, a local actor.
        $make('lyon', 'member.create', ['name' => 'Brahim', 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR', 'origin' => self::ANZI, 'at' => '2026-02-10T08:00:00Z']);
        $make('bcn', 'member.create', ['name' => 'Montse', 'gender' => 'f', 'roles' => ['diaspora'], 'heart_diaspora' => true, 'residence_country' => 'ES', 'at' => '2026-02-11T08:00:00Z']);
        $make('coop', 'organization.create', ['kind' => 'cooperative', 'name' => 'Argan', 'territory' => '09.581.01.05', 'at' => '2026-02-12T08:00:00Z']);
        $make('lead', 'organization.create', ['kind' => 'local_association', 'name' => 'Ait Ali', 'territory' => self::ANZI, 'at' => '2026-02-12T08:00:00Z']);
        // A project in Anzi led by the association; one in Talmakante.
        $make('water', 'project.create', ['title' => ['fr' => 'Eau'], 'communes' => [self::ANZI], 'lead_organization' => $ids['lead'], 'at' => '2026-03-01T08:00:00Z']);
        $make('solar', 'project.create', ['title' => ['fr' => 'Solaire'], 'communes' => [self::TALMAKANTE], 'at' => '2026-03-01T08:00:00Z']);
        // Lyon pledges (Jun 1), confirmed Jun 10, delivered Aug 30. Barcelona confirmed Jul 1, cancelled Oct 15.
        $make('c.lyon', 'contribution.create', ['project' => $ids['water'], 'member' => $ids['lyon'], 'kind' => 'skill', 'quantity' => ['unit' => 'person_days', 'amount' => 8], 'on' => '2026-06-01', 'at' => '2026-06-01T09:00:00Z']);
        $db->contribution->update(['id' => $ids['c.lyon'], 'status' => 'confirmed', 'on' => '2026-06-10', 'at' => '2026-06-10T09:00:00Z']);
        $db->contribution->update(['id' => $ids['c.lyon'], 'status' => 'delivered', 'on' => '2026-08-30', 'at' => '2026-08-30T09:00:00Z']);
        $make('c.bcn', 'contribution.create', ['project' => $ids['solar'], 'member' => $ids['bcn'], 'kind' => 'finance', 'quantity' => ['unit' => 'money', 'amount' => 500000, 'currency' => 'EUR'], 'on' => '2026-06-20', 'at' => '2026-06-20T09:00:00Z']);
        $db->contribution->update(['id' => $ids['c.bcn'], 'status' => 'confirmed', 'on' => '2026-07-01', 'at' => '2026-07-01T09:00:00Z']);
        $db->contribution->update(['id' => $ids['c.bcn'], 'status' => 'cancelled', 'on' => '2026-10-15', 'at' => '2026-10-15T09:00:00Z']);
        // Barcelona meets the cooperative on May 5.
        $db->interaction->create(['kind' => 'meeting', 'on' => '2026-05-05', 'member' => $ids['bcn'], 'organization' => $ids['coop'], 'at' => '2026-05-05T18:00:00Z']);

        return [$db, $ids];
    }

    /**
     * One indicator from indicators.compute as of a date, with provenance.
     *
     * @return array<string, mixed>
     */
    private static function indicator(Database $db, string $id, string $asOf, ?string $territory = null): array
    {
        $params = ['as_of' => $asOf, 'provenance' => true, 'indicators' => [$id]];
        if ($territory !== null) {
            $params['territory'] = $territory;
        }
        $answer = $db->indicators->compute($params);
        self::assertSame($asOf, $answer['as_of']);
        self::assertSame($territory, $answer['territory']);
        self::assertCount(1, $answer['indicators']);
        self::assertSame($id, $answer['indicators'][0]['id']);

        return $answer['indicators'][0];
    }

    private static function value(Database $db, string $id, string $asOf, ?string $territory = null): mixed
    {
        return self::indicator($db, $id, $asOf, $territory)['value'];
    }

    /** @param list<string> $values */
    private static function sorted(array $values): array
    {
        \sort($values);

        return $values;
    }

    // -- the actors of ProjectFixture.swift ----------------------------------------------

    /**
     * An ADC of Anzi, a facilitator, the commune of Anzi with its representative, a lead
     * organization and an outsider (a diaspora member), in a fresh database.
     *
     * @return array<string, mixed> 'db' and the ids by role
     */
    private function anzi(): array
    {
        $db = $this->openDatabase();
        $a = ['db' => $db];
        $a['facilitator'] = $db->member->create(['name' => 'Samira', 'gender' => 'f', 'roles' => ['facilitator'], 'residence_country' => 'MA'])['id'];
        $a['adc'] = $db->member->create(['name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::ANZI])['id'];
        $a['commune'] = $db->organization->create(['kind' => 'commune', 'territory' => self::ANZI])['id'];
        $a['representative'] = $db->member->create([
            'name' => 'Le président', 'gender' => 'm', 'roles' => ['local_actor'], 'residence_country' => 'MA',
            'organizations' => [['organization' => $a['commune'], 'role' => 'président']],
        ])['id'];
        $a['lead'] = $db->organization->create(['kind' => 'local_association', 'name' => "Association Ait Ali pour l'eau", 'territory' => self::ANZI])['id'];
        $a['outsider'] = $db->member->create(['name' => 'Brahim', 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR'])['id'];

        return $a;
    }

    /**
     * Creates a project and brings it to `formulation`, by the ADC.
     *
     * @param array<string, mixed> $a the actors of {@see anzi()}
     */
    private function formulated(array $a): string
    {
        $db = $a['db'];
        $p = $db->project->create(['title' => ['fr' => 'Eau potable du douar Ait Ali'], 'adc' => $a['adc'], 'proposer' => $a['commune'], 'actor' => $a['adc']])['id'];
        $db->project->update(['id' => $p, 'communes' => [self::ANZI], 'sector' => 'EAU', 'summary' => [
            'fr' => "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable",
            'ar' => 'ربط 60 أسرة بشبكة الماء الصالح للشرب',
        ]]);
        $db->project->transition(['id' => $p, 'to' => 'identification', 'actor' => $a['adc']]);
        $db->project->update(['id' => $p,
            'identification_note' => "Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028",
            'beneficiaries' => ['total' => 420, 'women' => 210, 'youth' => 120],
            'pac_reference' => 'PAC Anzi 2023-2028, axe 2, action 4',
        ]);
        self::assertSame('formulation', $db->project->transition(['id' => $p, 'to' => 'formulation', 'actor' => $a['adc']])['stage']);

        return $p;
    }

    /**
     * Fills everything `ready` needs; answers the id of its one need (10 person-days).
     *
     * @param array<string, mixed> $a the actors of {@see anzi()}
     */
    private function makePrecise(array $a, string $p): string
    {
        $db = $a['db'];
        $mad = static fn (int $minor): array => ['minor' => $minor, 'currency' => 'MAD'];
        $db->project->update(['id' => $p,
            'logframe' => [
                'goal' => "Améliorer l'accès à l'eau potable à Anzi",
                'specific_objective' => '60 foyers raccordés',
                'results' => [['title' => 'Réseau posé', 'indicators' => [['name' => 'Foyers raccordés', 'unit' => 'foyers', 'baseline' => 0, 'target' => 60]]]],
                'activities' => [['title' => 'Pose des conduites', 'start_on' => '2026-09-01', 'end_on' => '2026-12-15', 'responsible' => 'Association Ait Ali']],
                'risks' => ['Retard des autorisations'],
            ],
            'budget' => ['currency' => 'MAD', 'lines' => [
                ['category' => 'works', 'label' => 'Conduites et branchements', 'amount' => $mad(95_000_000)],
                ['category' => 'studies', 'label' => 'Étude hydraulique', 'amount' => $mad(30_000_000)],
            ]],
            'funding_plan' => [
                ['label' => "Commune d'Anzi", 'amount' => $mad(50_000_000), 'status' => 'confirmed'],
                ['label' => 'INDH', 'amount' => $mad(43_750_000), 'status' => 'expected'],
                ['label' => 'Diaspora', 'amount' => $mad(31_250_000), 'status' => 'expected'],
            ],
            'lead_organization' => $a['lead'], 'start_on' => '2026-09-01', 'end_on' => '2027-06-30',
            'partners' => [['organization' => $a['lead'], 'role' => 'implementing'], ['organization' => $a['commune'], 'role' => 'funding']],
        ]);
        $need = $db->need->create([
            'project' => $p, 'kind' => 'skill', 'description' => 'Conception hydraulique, sur place en août',
            'skills' => ['2142'], 'quantity' => ['unit' => 'person_days', 'amount' => 10],
            'from' => '2026-08-01', 'until' => '2026-08-31', 'mode' => 'on_site', 'languages' => ['shi'], 'critical' => true,
        ])['id'];
        $db->project->endorse(['id' => $p, 'on' => '2026-05-20', 'reference' => 'Délibération 12/2026', 'actor' => $a['representative']]);

        return $need;
    }
}
