<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ConflictException;
use CDS\Database;
use CDS\Exception;
use CDS\InvalidParamsException;
use CDS\NotFoundException;

/**
 * Offers and the matcher: which offer answers which need, and why.
 *
 * The story follows Tests/CDSTests/MatchTests.swift (same people, same params), so that the
 * Swift facade, the C door and this binding prove the same rules: the Anzi water project
 * needs hydraulic design on site in August; an engineer of Lyon born in Anzi fits best, an
 * engineer of the same province with a related skill comes second, and a member who never
 * agreed to be contacted is never proposed.
 */
final class MatchTest extends CdsTestCase
{
    private const ANZI = '09.581.03.03';

    /** A commune of the same province (Tiznit) as Anzi. */
    private const TIZNIT_COMMUNE = '09.581.01.07';

    /** The five scored components of a match, in the order the library answers them. */
    private const COMPONENTS = ['skills', 'territory', 'time', 'capacity', 'sector'];

    /** The need of the story: hydraulic design (ISCO 2142, civil engineers), 10 days on site. */
    private const NEED = [
        'kind' => 'skill', 'description' => 'Conception hydraulique, sur place en août',
        'skills' => ['2142'], 'quantity' => ['unit' => 'person_days', 'amount' => 10],
        'from' => '2026-08-03', 'until' => '2026-08-14', 'mode' => 'on_site', 'languages' => ['shi'],
    ];

    /** The engineer's offer: 8 days, in Morocco for August, remote or on site, interested in water. */
    private const ENGINEER_OFFER = [
        'kind' => 'skill', 'skills' => ['2142'], 'capacity' => ['unit' => 'person_days', 'amount' => 8],
        'windows' => [['from' => '2026-08-01', 'until' => '2026-08-31', 'travel' => true]],
        'remote' => true, 'on_site' => true, 'languages' => ['shi', 'fr'], 'sectors' => ['EAU'],
        'contact_consent' => true,
    ];

    private const CONTACT = [['purpose' => 'contact', 'version' => '2026-01']];

    private Database $db;
    private string $adc;
    private string $project;
    private string $need;
    private string $engineer;
    private string $engineerOffer;
    private string $other;
    private string $otherOffer;
    private string $silent;
    private string $silentOffer;

    /** The project at formulation with its need, and the three members who offer. */
    protected function setUp(): void
    {
        parent::setUp();
        $db = $this->db = $this->openDatabase();
        $db->member->create(['name' => 'Samira', 'gender' => 'f', 'roles' => ['facilitator'], 'residence_country' => 'MA']);
        $this->adc = $db->member->create([
            'name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::ANZI,
        ])['id'];
        $commune = $db->organization->create(['kind' => 'commune', 'territory' => self::ANZI])['id'];
        $this->project = $this->formulated($commune);
        $this->need = $db->need->create(['project' => $this->project] + self::NEED)['id'];

        $this->engineer = $this->diaspora('Brahim', [
            'residence_city' => 'Lyon', 'origin' => self::ANZI, 'languages' => ['shi', 'fr'], 'skills' => ['2142'],
            'consents' => self::CONTACT,
        ]);
        $this->engineerOffer = $db->offer->create(['member' => $this->engineer] + self::ENGINEER_OFFER)['id'];
        // An industrial engineer (2141, same ISCO group as 2142) of the province, on site any time.
        $this->other = $this->diaspora('Hassan', ['origin' => self::TIZNIT_COMMUNE, 'languages' => ['shi'], 'consents' => self::CONTACT]);
        $this->otherOffer = $db->offer->create([
            'member' => $this->other, 'kind' => 'skill', 'skills' => ['2141'],
            'capacity' => ['unit' => 'person_days', 'amount' => 20], 'remote' => false, 'on_site' => true,
            'contact_consent' => true,
        ])['id'];
        // Born in Anzi, the right skill, the offer says yes, but the member never consented to contact.
        $this->silent = $this->diaspora('Said', ['origin' => self::ANZI, 'languages' => ['shi']]);
        $this->silentOffer = $db->offer->create([
            'member' => $this->silent, 'kind' => 'skill', 'skills' => ['2142'],
            'capacity' => ['unit' => 'person_days', 'amount' => 8], 'on_site' => true, 'contact_consent' => true,
        ])['id'];
    }

    public function testAnOfferKeepsWhatItWasGivenAndIsListedByItsSkill(): void
    {
        $db = $this->db;
        $got = $db->offer->get(['id' => $this->engineerOffer]);

        self::assertSame($this->engineerOffer, $got['id']);
        self::assertSame($this->engineer, $got['member']);
        self::assertNull($got['organization']);
        self::assertSame('active', $got['status'], 'a new offer is active');
        foreach (['kind', 'skills', 'windows', 'remote', 'on_site', 'languages', 'sectors', 'contact_consent'] as $field) {
            self::assertSame(self::ENGINEER_OFFER[$field], $got[$field], $field);
        }
        self::assertSame('person_days', $got['capacity']['unit']);
        self::assertSame(8, $got['capacity']['amount']);
        $contact = \array_values(\array_filter(
            $db->member->get(['id' => $this->engineer])['consents'],
            static fn (array $c): bool => $c['purpose'] === 'contact',
        ));
        self::assertCount(1, $contact);
        self::assertSame('2026-01', $contact[0]['version']);
        self::assertNull($contact[0]['withdrawn_at']);

        // Defaults: remote true unless said otherwise; the other offers only on site.
        self::assertFalse($db->offer->get(['id' => $this->otherOffer])['remote']);
        self::assertTrue($db->offer->get(['id' => $this->silentOffer])['remote']);

        // By skill, in creation order: the exact code only (2141 is not 2142).
        self::assertSame([$this->engineerOffer, $this->silentOffer], $this->ids('offer.list', ['skill' => '2142']));
        self::assertSame([$this->otherOffer], $this->ids('offer.list', ['skill' => '2141']));
        self::assertSame([], $this->ids('offer.list', ['skill' => '2111']));
        self::assertSame([$this->engineerOffer], $this->ids('offer.list', ['member' => $this->engineer]));
    }

    public function testTheEngineerBornInTheCommuneComesFirstAndAMemberWithoutConsentNeverAppears(): void
    {
        $top = $this->top();

        self::assertSame([$this->engineerOffer, $this->otherOffer], \array_column($top, 'offer'));
        self::assertSame([$this->engineer, $this->other], \array_column($top, 'member'));
        self::assertNotContains($this->silentOffer, \array_column($top, 'offer'), 'no consent to contact, no match');
        self::assertGreaterThan($top[1]['score'], $top[0]['score']);

        foreach ($top as $match) {
            self::assertSame($this->need, $match['need']);
            self::assertSame($this->project, $match['project']);
            // Five components, each weighed, valued, with a reason and its labels in three languages.
            self::assertSame(self::COMPONENTS, \array_column($match['components'], 'component'));
            $weights = 0.0;
            $weighted = 0.0;
            foreach ($match['components'] as $c) {
                self::assertGreaterThanOrEqual(0, $c['weight']);
                self::assertLessThanOrEqual(1, $c['weight']);
                self::assertGreaterThanOrEqual(0, $c['value']);
                self::assertLessThanOrEqual(1, $c['value']);
                self::assertIsString($c['reason']);
                self::assertNotSame('', $c['reason']);
                self::assertLabels($c['labels']);
                $weights += $c['weight'];
                $weighted += $c['weight'] * $c['value'];
            }
            self::assertEqualsWithDelta(1.0, $weights, 1e-9);
            // The score is the weighted mean of the components.
            self::assertEqualsWithDelta($weighted, $match['score'], 1e-9);
            // The hard constraints met, with their labels too.
            $constraints = \array_column($match['constraints'], null, 'component');
            foreach (['kind', 'languages', 'mode', 'consent'] as $component) {
                self::assertArrayHasKey($component, $constraints);
                self::assertLabels($constraints[$component]['labels']);
            }
            self::assertSame('consent_to_contact', $constraints['consent']['reason']);
        }

        $engineer = $top[0];
        self::assertSame(
            ['same_skill', 'origin_commune', 'available_whole_window', 'capacity_part', 'sector_interest'],
            \array_column($engineer['components'], 'reason'),
        );
        self::assertStringContainsString('Anzi', $engineer['components'][1]['labels']['fr']);
        self::assertContains('on_site_in_travel_window', \array_column($engineer['constraints'], 'reason'));
        self::assertEqualsWithDelta(0.8, $engineer['components'][3]['value'], 1e-9, '8 of the 10 days asked for');
        self::assertGreaterThan(0.8, $engineer['score']);
        self::assertLessThanOrEqual(1, $engineer['score']);

        self::assertSame(['related_skill', 'origin_province'], \array_slice(\array_column($top[1]['components'], 'reason'), 0, 2));

        // k bounds the answer, best first.
        self::assertSame([$this->engineerOffer], \array_column($this->top(k: 1), 'offer'));
    }

    public function testTheNeedIsFoundFromTheOfferTheMemberAndTheBatch(): void
    {
        $db = $this->db;

        $byOffer = $db->match->offer(['offer' => $this->engineerOffer]);
        self::assertSame($this->engineerOffer, $byOffer['offer']);
        self::assertSame([$this->need], \array_column($byOffer['matches'], 'need'));
        self::assertSame(self::COMPONENTS, \array_column($byOffer['matches'][0]['components'], 'component'));

        $byMember = $db->match->member(['member' => $this->engineer, 'k' => 3]);
        self::assertSame([$this->engineerOffer], $byMember['offers']);
        self::assertSame([$this->need], \array_column($byMember['matches'], 'need'));
        self::assertSame([$this->engineerOffer], \array_column($byMember['matches'], 'offer'));
        // The same score whichever way it is asked.
        self::assertEqualsWithDelta($this->top()[0]['score'], $byMember['matches'][0]['score'], 1e-9);

        $batch = $db->match->all(['k' => 1])['needs'];
        self::assertSame([$this->need], \array_column($batch, 'need'));
        self::assertSame([$this->engineerOffer], \array_column($batch[0]['matches'], 'offer'));
        self::assertSame(
            [$this->engineerOffer, $this->otherOffer],
            \array_column($db->match->all(['project' => $this->project])['needs'][0]['matches'], 'offer'),
        );

        // The member without consent has no offer open to matching.
        $silent = $db->match->member(['member' => $this->silent]);
        self::assertSame([], $silent['offers']);
        self::assertSame([], $silent['matches']);
    }

    public function testWithdrawingConsentToContactStopsMatchingAtOnceAndGivingItBackRestoresIt(): void
    {
        $db = $this->db;

        $db->consent->withdraw(['member' => $this->engineer, 'purpose' => 'contact']);
        self::assertSame([$this->otherOffer], \array_column($this->top(), 'offer'));
        self::refused(ConflictException::class, fn () => $db->match->propose(['need' => $this->need, 'offer' => $this->engineerOffer]));

        $given = $db->consent->give(['member' => $this->engineer, 'purpose' => 'contact', 'version' => '2026-02']);
        self::assertSame('contact', $given['purpose']);
        self::assertNull($given['withdrawn_at']);
        self::assertSame([$this->engineerOffer, $this->otherOffer], \array_column($this->top(), 'offer'));
    }

    public function testAcceptingAProposalPledgesAContributionAndADeclinedPairIsNeverProposedAgain(): void
    {
        $db = $this->db;

        $proposed = $db->match->propose(['need' => $this->need, 'offer' => $this->engineerOffer, 'actor' => $this->adc]);
        self::assertSame('proposed', $proposed['status']);
        self::assertSame([$this->need, $this->engineerOffer, $this->engineer], [$proposed['need'], $proposed['offer'], $proposed['member']]);
        self::assertSame(self::COMPONENTS, \array_column($proposed['explanation']['components'], 'component'));
        $match = $proposed['id'];

        $again = self::refused(ConflictException::class, fn () => $db->match->propose(['need' => $this->need, 'offer' => $this->engineerOffer]));
        self::assertSame('conflict', $again->getErrorCode());

        $accepted = $db->match->accept(['id' => $match, 'actor' => $this->engineer]);
        self::assertSame('accepted', $accepted['match']['status']);
        $contribution = $accepted['contribution'];
        self::assertSame('pledged', $contribution['status']);
        self::assertSame(8, $contribution['quantity']['amount']);
        self::assertSame('person_days', $contribution['quantity']['unit']);
        self::assertSame($match, $contribution['match']);
        self::assertSame(
            [$this->need, $this->engineer, $this->project],
            [$contribution['need'], $contribution['member'], $contribution['project']],
        );
        self::assertSame($contribution['id'], $accepted['match']['contribution']);
        self::assertSame($match, $db->contribution->get(['id' => $contribution['id']])['match']);
        self::refused(ConflictException::class, static fn () => $db->match->accept(['id' => $match]));

        // The offer's 8 days are pledged: it is no longer a candidate for the need.
        self::assertSame([$this->otherOffer], \array_column($this->top(), 'offer'));

        $second = $db->match->propose(['need' => $this->need, 'offer' => $this->otherOffer])['id'];
        self::assertSame('declined', $db->match->decline(['id' => $second, 'reason' => 'Pas disponible'])['status']);
        self::assertSame([], $this->top(), 'a declined pair is excluded');
        self::refused(ConflictException::class, fn () => $db->match->propose(['need' => $this->need, 'offer' => $this->otherOffer]));

        $listed = self::all($this->db, 'match.list', ['need' => $this->need]);
        self::assertSame([$match, $second], \array_column($listed, 'id'));
        self::assertSame(['accepted', 'declined'], \array_column($listed, 'status'));
        self::assertSame([$second], $this->ids('match.list', ['status' => 'declined']));
        self::assertSame('declined', $db->match->get(['id' => $second])['status']);
    }

    public function testTheAllocationServesEachOfferOnceAndItsTotalIsTheObjective(): void
    {
        $db = $this->db;
        // A second need both engineers fit: a remote review of the file, 2 days.
        $advice = $db->need->create([
            'project' => $this->project, 'kind' => 'skill', 'description' => 'Relecture du dossier', 'skills' => ['2142'],
            'quantity' => ['unit' => 'person_days', 'amount' => 2], 'mode' => 'either',
        ])['id'];
        $score = function (string $need, string $offer): float {
            foreach ($this->top($need) as $m) {
                if ($m['offer'] === $offer) {
                    return (float) $m['score'];
                }
            }
            self::fail("no match of {$offer} for {$need}");
        };

        // Two slots per offer, but one need per member at most.
        $allocated = $db->match->allocate(['offer_slots' => 2, 'max_per_member' => 1]);
        $pairs = $allocated['pairs'];
        self::assertCount(2, $pairs);
        self::assertCount(2, \array_unique(\array_column($pairs, 'offer')), 'no offer twice');
        self::assertCount(2, \array_unique(\array_column($pairs, 'need')));
        self::assertCount(2, \array_unique(\array_column($pairs, 'member')));
        self::assertNotContains($this->silentOffer, \array_column($pairs, 'offer'));
        self::assertEqualsWithDelta($allocated['objective'], \array_sum(\array_column($pairs, 'score')), 1e-9);
        foreach ($pairs as $p) {
            self::assertEqualsWithDelta($score($p['need'], $p['offer']), $p['score'], 1e-9);
        }

        // It is the better of the two possible assignments.
        $straight = $score($this->need, $this->engineerOffer) + $score($advice, $this->otherOffer);
        $crossed = $score($this->need, $this->otherOffer) + $score($advice, $this->engineerOffer);
        self::assertEqualsWithDelta(\max($straight, $crossed), $allocated['objective'], 1e-9);

        // Without the cap, the engineer's offer, best for both, takes both: the cap is what held.
        $uncapped = $db->match->allocate(['offer_slots' => 2])['pairs'];
        self::assertSame([$this->engineerOffer], \array_values(\array_unique(\array_column($uncapped, 'offer'))));
    }

    public function testWeightsAreSetPerDatabaseChangeTheScoresAndMayNotAllBeZero(): void
    {
        $db = $this->db;
        self::assertSame(['skills' => 40, 'territory' => 25, 'time' => 15, 'capacity' => 10, 'sector' => 10], $db->match->weights());
        $before = $this->top()[0];

        self::assertSame(
            ['skills' => 40, 'territory' => 0, 'time' => 15, 'capacity' => 10, 'sector' => 0],
            $db->match->set_weights(['territory' => 0, 'sector' => 0]),
        );
        self::assertSame(0, $db->match->weights()['territory']);
        $after = $this->top()[0];
        self::assertSame($before['offer'], $after['offer']);
        self::assertGreaterThan(1e-6, \abs($after['score'] - $before['score']), 'the score changed');
        $weights = \array_column($after['components'], 'weight', 'component');
        self::assertEquals(0, $weights['territory']);
        self::assertEquals(0, $weights['sector']);
        self::assertEqualsWithDelta(40 / 65, $weights['skills'], 1e-9);
        $weighted = 0.0;
        foreach ($after['components'] as $c) {
            $weighted += $c['weight'] * $c['value'];
        }
        self::assertEqualsWithDelta($weighted, $after['score'], 1e-9);

        $events = $this->events();
        $zero = self::refused(InvalidParamsException::class, static fn () => $db->match->set_weights([
            'skills' => 0, 'territory' => 0, 'time' => 0, 'capacity' => 0, 'sector' => 0,
        ]));
        self::assertSame('invalid_params', $zero->getErrorCode());
        self::assertSame(40, $db->match->weights()['skills'], 'a refused change changes nothing');
        self::assertSame($events, $this->events());
    }

    public function testBadInputIsRefusedWithAClearErrorAndStoresNothing(): void
    {
        $db = $this->db;
        $events = $this->events();
        $needs = $this->ids('need.list', ['project' => $this->project]);
        $offers = $this->ids('offer.list');

        foreach ([0, 1_000_000_000] as $k) {
            $bad = self::refused(InvalidParamsException::class, fn () => $db->match->need(['need' => $this->need, 'k' => $k]));
            self::assertSame('k', $bad->getDetails()['field'] ?? null, "k = {$k}");
        }
        $unknown = self::refused(NotFoundException::class, static fn () => $db->match->need(['need' => 'ned_nope']));
        self::assertSame('not_found', $unknown->getErrorCode());
        self::assertSame('ned_nope', $unknown->getDetails()['id'] ?? null);

        $oneDay = ['unit' => 'person_days', 'amount' => 1];
        $badNeeds = [
            // An unknown project is a bad `project` parameter (not a missing need).
            'project' => ['project' => 'prj_nope', 'kind' => 'skill', 'description' => 'x', 'quantity' => $oneDay],
            'skills' => ['project' => $this->project, 'kind' => 'skill', 'description' => 'x', 'skills' => ['9999'], 'quantity' => $oneDay],
            'until' => [
                'project' => $this->project, 'kind' => 'skill', 'description' => 'x',
                'from' => '2026-08-10', 'until' => '2026-08-01', 'quantity' => $oneDay,
            ],
        ];
        foreach ($badNeeds as $field => $params) {
            $refused = self::refused(InvalidParamsException::class, static fn () => $db->need->create($params));
            self::assertSame($field, $refused->getDetails()['field'] ?? null, \json_encode($refused->getDetails(), \JSON_UNESCAPED_UNICODE));
        }

        $empty = self::refused(InvalidParamsException::class, fn () => $db->offer->create([
            'member' => $this->engineer, 'kind' => 'skill', 'capacity' => ['unit' => 'person_days', 'amount' => 0],
        ]));
        self::assertSame('capacity.amount', $empty->getDetails()['field'] ?? null);

        self::assertSame($events, $this->events());
        self::assertSame($needs, $this->ids('need.list', ['project' => $this->project]));
        self::assertSame($offers, $this->ids('offer.list'));
    }

    // -- the story's helpers ----------------------------------------------------------

    /** A project of Anzi, sector EAU, brought to `formulation` (as ProjectFixture.swift). */
    private function formulated(string $commune): string
    {
        $db = $this->db;
        $p = $db->project->create([
            'title' => ['fr' => 'Eau potable du douar Ait Ali'],
            'adc' => $this->adc, 'proposer' => $commune, 'actor' => $this->adc,
        ])['id'];
        $db->project->update(['id' => $p,
            'communes' => [self::ANZI],
            'sector' => 'EAU',
            'summary' => [
                'fr' => "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable",
                'ar' => 'ربط 60 أسرة بشبكة الماء الصالح للشرب',
            ],
        ]);
        $db->project->transition(['id' => $p, 'to' => 'identification', 'actor' => $this->adc]);
        $db->project->update(['id' => $p,
            'identification_note' => "Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028",
            'beneficiaries' => ['total' => 420, 'women' => 210, 'youth' => 120],
            'pac_reference' => 'PAC Anzi 2023-2028, axe 2, action 4',
        ]);
        $db->project->transition(['id' => $p, 'to' => 'formulation', 'actor' => $this->adc]);
        self::assertSame('formulation', $db->project->get(['id' => $p])['stage']);

        return $p;
    }

    /** A diaspora member living in France (as `diaspora` of Support.swift). */
    private function diaspora(string $name, array $fields): string
    {
        return $this->db->member->create([
            'name' => $name, 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR',
        ] + $fields)['id'];
    }

    /** The matches `match.need` answers for the need (the story's by default). */
    private function top(?string $need = null, int $k = 10): array
    {
        return $this->db->match->need(['need' => $need ?? $this->need, 'k' => $k])['matches'];
    }

    /** How many events the log holds (`audit.verify`), to prove nothing was stored. */
    private function events(): int
    {
        $verified = $this->db->audit->verify();
        self::assertTrue($verified['ok']);

        return $verified['events'];
    }

    /** Labels in French, Arabic and English, none empty. */
    private static function assertLabels(array $labels): void
    {
        \ksort($labels);
        self::assertSame(['ar', 'en', 'fr'], \array_keys($labels));
        foreach ($labels as $text) {
            self::assertIsString($text);
            self::assertNotSame('', $text);
        }
    }

    /**
     * Runs $call, which must throw $class; answers the exception.
     *
     * @template T of Exception
     *
     * @param class-string<T> $class
     *
     * @return T
     */
    private static function refused(string $class, callable $call): Exception
    {
        try {
            $call();
        } catch (Exception $e) {
            self::assertInstanceOf($class, $e, $e->getMessage());

            return $e;
        }
        self::fail("accepted, {$class} expected");
    }

    /** The ids of every item of a list method. */
    private function ids(string $method, array $params = []): array
    {
        return \array_column(self::all($this->db, $method, $params), 'id');
    }
}
