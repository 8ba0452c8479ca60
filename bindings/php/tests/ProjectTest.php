<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Database;
use CDS\ForbiddenException;
use CDS\InvalidParamsException;
use CDS\TransitionNotAllowedException;

/**
 * Projects and their maturation workflow, idea → capitalized.
 *
 * The walk follows Tests/CDSTests/ProjectFixture.swift (same actors, same params), so that
 * the Swift facade, the C door and this binding prove the same rules.
 */
final class ProjectTest extends CdsTestCase
{
    private const ANZI = '09.581.03.03';

    /** The main line of the workflow (Sources/CDSCore/Workflow/Stage.swift). */
    private const MAIN_LINE = [
        'idea', 'identification', 'formulation', 'ready', 'mobilization',
        'funded', 'implementation', 'completed', 'capitalized',
    ];

    private Database $db;
    private string $facilitator;
    private string $adc;
    private string $commune;
    private string $representative;
    private string $lead;
    private string $outsider;

    /**
     * A CDS with what a project needs to go all the way: an ADC of Anzi, a facilitator,
     * the commune of Anzi with its representative, a lead organization, and an outsider.
     */
    protected function setUp(): void
    {
        parent::setUp();
        $this->db = $this->openDatabase();
        $this->facilitator = $this->db->member->create([
            'name' => 'Samira', 'gender' => 'f', 'roles' => ['facilitator'], 'residence_country' => 'MA',
        ])['id'];
        $this->adc = $this->db->member->create([
            'name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA',
            'adc_commune' => self::ANZI,
        ])['id'];
        $this->commune = $this->db->organization->create(['kind' => 'commune', 'territory' => self::ANZI])['id'];
        $this->representative = $this->db->member->create([
            'name' => 'Le président', 'gender' => 'm', 'roles' => ['local_actor'], 'residence_country' => 'MA',
            'organizations' => [['organization' => $this->commune, 'role' => 'président']],
        ])['id'];
        $this->lead = $this->db->organization->create([
            'kind' => 'local_association', 'name' => "Association Ait Ali pour l'eau", 'territory' => self::ANZI,
        ])['id'];
        $this->outsider = $this->db->member->create([
            'name' => 'Brahim', 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR',
        ])['id'];
    }

    public function testAProjectWalksEveryStageOfTheMainLineAndARefusalListsEveryMissingItem(): void
    {
        $db = $this->db;
        $p = $this->formulated();

        // Not precise yet: `ready` is refused with every unmet requirement at once.
        try {
            $this->move($p, 'ready');
            self::fail('a project without budget, needs nor endorsement became ready');
        } catch (TransitionNotAllowedException $e) {
            self::assertSame('transition_not_allowed', $e->getErrorCode());
            $keys = self::keys($e->getMissing());
            self::assertGreaterThanOrEqual(5, \count($keys), \implode(', ', $keys));
            foreach (['funding_plan.covers_budget', 'endorsement.recorded', 'needs.itemized'] as $key) {
                self::assertContains($key, $keys);
            }
            foreach ($e->getMissing() as $item) {
                self::assertIsString($item['label'] ?? null);
                self::assertNotSame('', $item['label']);
            }
        }
        self::assertSame('formulation', $this->stage($p), 'a refused transition changes nothing');

        $need = $this->makePrecise($p);
        self::assertSame(self::ANZI, $db->project->get(['id' => $p])['endorsements'][0]['commune']);
        $this->move($p, 'ready');
        $this->move($p, 'mobilization');

        // Finance only expected and the critical need open: `funded` lists exactly these two.
        try {
            $this->move($p, 'funded');
            self::fail('a project with expected finance and an open critical need was funded');
        } catch (TransitionNotAllowedException $e) {
            $keys = self::keys($e->getMissing());
            \sort($keys);
            self::assertSame(['finance.confirmed_covers_budget', 'needs.critical_covered'], $keys);
        }
        self::assertSame('mobilization', $this->stage($p));

        $db->project->update(['id' => $p, 'funding_plan' => self::fundingPlan('confirmed')]);
        self::assertSame([$need], \array_column($db->need->list(['project' => $p])['items'], 'id'));
        $db->need->update(['id' => $need, 'status' => 'covered']);
        self::assertSame('funded', $this->move($p, 'funded')['stage']);

        try {
            $this->move($p, 'implementation');
            self::fail('a project started without a start date');
        } catch (TransitionNotAllowedException $e) {
            self::assertSame(['start.recorded'], self::keys($e->getMissing()));
        }
        $db->project->update(['id' => $p, 'started_on' => '2026-09-07']);
        $this->move($p, 'implementation');
        $db->project->update([
            'id' => $p,
            'progress_report' => ['on' => '2026-12-20', 'progress' => 100, 'text' => '60 foyers raccordés'],
            'final_report' => 'Réseau livré et réceptionné',
        ]);
        $this->move($p, 'completed');
        $db->project->update(['id' => $p, 'lessons_learned' => "Associer tôt l'association d'usagers"]);
        $this->move($p, 'capitalized');

        $got = $db->project->get(['id' => $p]);
        self::assertSame('capitalized', $got['stage']);
        self::assertSame(self::mad(95_000_000), $got['budget']['lines'][0]['amount']);

        $history = self::all($this->db, 'project.history', ['id' => $p]);
        $moves = \array_values(\array_filter($history, static fn (array $e): bool => $e['type'] === 'project.transitioned'));
        $expected = [];
        for ($i = 0; $i + 1 < \count(self::MAIN_LINE); $i++) {
            $expected[] = [self::MAIN_LINE[$i], self::MAIN_LINE[$i + 1]];
        }
        self::assertSame($expected, \array_map(static fn (array $m): array => [$m['from'], $m['to']], $moves));
        self::assertSame([$this->adc], \array_values(\array_unique(\array_column($moves, 'actor'))));
        $seqs = \array_column($history, 'seq');
        $sorted = $seqs;
        \sort($sorted);
        self::assertSame($sorted, $seqs, 'oldest first');
    }

    public function testTheChecklistAnswersItsLabelsInArabic(): void
    {
        $p = $this->formulated();
        $events = \count(self::all($this->db, 'event.list'));

        $checklist = $this->db->project->checklist(['id' => $p, 'locale' => 'ar']);

        self::assertSame('ready', $checklist['target']);
        $labels = \array_column($checklist['missing'], 'label', 'key');
        self::assertSame('خطة التمويل تغطي الميزانية', $labels['funding_plan.covers_budget'] ?? null);
        self::assertSame('تم تسجيل موافقة كل جماعة معنية', $labels['endorsement.recorded'] ?? null);
        $french = \array_column($this->db->project->checklist(['id' => $p])['missing'], 'label', 'key');
        self::assertSame('Le plan de financement couvre le budget', $french['funding_plan.covers_budget'] ?? null);
        self::assertSame($events, \count(self::all($this->db, 'event.list')), 'a checklist changes nothing');
    }

    public function testAnActorWithoutTheRoleMayNotMoveAProject(): void
    {
        $p = $this->formulated();
        $this->makePrecise($p); // every requirement of `ready` is met: only the role is missing

        try {
            $this->move($p, 'ready', $this->outsider);
            self::fail('a diaspora member moved a project');
        } catch (ForbiddenException $e) {
            self::assertSame('forbidden', $e->getErrorCode());
        }
        self::assertSame('formulation', $this->stage($p));

        self::assertSame('ready', $this->move($p, 'ready')['stage']); // the ADC may
    }

    public function testBadInputNamesTheFieldAndStoresNothing(): void
    {
        $db = $this->db;
        $p = $this->formulated();
        $before = $db->project->get(['id' => $p]);
        $events = \count(self::all($this->db, 'event.list'));

        $bad = [
            'budget.lines[0].amount.minor' => static fn () => $db->project->update(['id' => $p, 'budget' => [
                'currency' => 'MAD',
                'lines' => [['category' => 'works', 'label' => 'Conduites', 'amount' => self::mad(-100)]],
            ]]),
            'end_on' => static fn () => $db->project->update(['id' => $p, 'start_on' => '2027-06-30', 'end_on' => '2026-09-01']),
            'to' => fn () => $db->project->transition(['id' => $p, 'to' => 'launched', 'actor' => $this->adc]),
        ];
        foreach ($bad as $field => $call) {
            try {
                $call();
                self::fail("accepted: bad {$field}");
            } catch (InvalidParamsException $e) {
                self::assertSame($field, $e->getDetails()['field'] ?? null, \json_encode($e->getDetails(), \JSON_UNESCAPED_UNICODE));
            }
        }

        self::assertSame($events, \count(self::all($this->db, 'event.list')));
        self::assertSame($before, $db->project->get(['id' => $p]));
    }

    // -- the walk, as ProjectFixture.swift ---------------------------------------------

    /** `project.transition`, by the ADC unless $actor is given. */
    private function move(string $project, string $to, ?string $actor = null): array
    {
        return $this->db->project->transition(['id' => $project, 'to' => $to, 'actor' => $actor ?? $this->adc]);
    }

    private function stage(string $project): string
    {
        return $this->db->project->get(['id' => $project])['stage'];
    }

    /** Creates a project and brings it to `formulation`, ready to be made precise. */
    private function formulated(): string
    {
        $db = $this->db;
        $p = $db->project->create([
            'title' => ['fr' => 'Eau potable du douar Ait Ali'],
            'adc' => $this->adc, 'proposer' => $this->commune, 'actor' => $this->adc,
        ])['id'];
        $db->project->update(['id' => $p,
            'communes' => [self::ANZI],
            'sector' => 'EAU',
            'summary' => [
                'fr' => "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable",
                'ar' => 'ربط 60 أسرة بشبكة الماء الصالح للشرب',
            ],
        ]);
        $this->move($p, 'identification');
        $db->project->update(['id' => $p,
            'identification_note' => "Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028",
            'beneficiaries' => ['total' => 420, 'women' => 210, 'youth' => 120],
            'pac_reference' => 'PAC Anzi 2023-2028, axe 2, action 4',
        ]);
        $this->move($p, 'formulation');
        self::assertSame('formulation', $this->stage($p));

        return $p;
    }

    /** Fills everything `ready` needs; answers the need's id. */
    private function makePrecise(string $p): string
    {
        $db = $this->db;
        $db->project->update(['id' => $p,
            'logframe' => [
                'goal' => "Améliorer l'accès à l'eau potable à Anzi",
                'specific_objective' => '60 foyers raccordés',
                'results' => [[
                    'title' => 'Réseau posé',
                    'indicators' => [['name' => 'Foyers raccordés', 'unit' => 'foyers', 'baseline' => 0, 'target' => 60]],
                ]],
                'activities' => [[
                    'title' => 'Pose des conduites', 'start_on' => '2026-09-01', 'end_on' => '2026-12-15',
                    'responsible' => 'Association Ait Ali',
                ]],
                'risks' => ['Retard des autorisations'],
            ],
            'budget' => [
                'currency' => 'MAD',
                'lines' => [
                    ['category' => 'works', 'label' => 'Conduites et branchements', 'amount' => self::mad(95_000_000)],
                    ['category' => 'studies', 'label' => 'Étude hydraulique', 'amount' => self::mad(30_000_000)],
                ],
            ],
            'funding_plan' => self::fundingPlan('expected'),
            'lead_organization' => $this->lead,
            'start_on' => '2026-09-01',
            'end_on' => '2027-06-30',
            'partners' => [
                ['organization' => $this->lead, 'role' => 'implementing'],
                ['organization' => $this->commune, 'role' => 'funding'],
            ],
        ]);
        $need = $db->need->create([
            'project' => $p, 'kind' => 'skill', 'description' => 'Conception hydraulique, sur place en août',
            'skills' => ['2142'], 'quantity' => ['unit' => 'person_days', 'amount' => 10],
            'from' => '2026-08-01', 'until' => '2026-08-31', 'mode' => 'on_site', 'languages' => ['shi'],
            'critical' => true,
        ]);
        $db->project->endorse([
            'id' => $p, 'on' => '2026-05-20', 'reference' => 'Délibération 12/2026', 'actor' => $this->representative,
        ]);

        return $need['id'];
    }

    /** An amount in MAD minor units (centimes). */
    private static function mad(int $minor): array
    {
        return ['minor' => $minor, 'currency' => 'MAD'];
    }

    /** The commune's share confirmed, INDH's and the diaspora's $others (1 250 000 MAD in all). */
    private static function fundingPlan(string $others): array
    {
        return [
            ['label' => "Commune d'Anzi", 'amount' => self::mad(50_000_000), 'status' => 'confirmed'],
            ['label' => 'INDH', 'amount' => self::mad(43_750_000), 'status' => $others],
            ['label' => 'Diaspora', 'amount' => self::mad(31_250_000), 'status' => $others],
        ];
    }

    /** @param list<array<string, mixed>> $missing */
    private static function keys(array $missing): array
    {
        return \array_column($missing, 'key');
    }
}
