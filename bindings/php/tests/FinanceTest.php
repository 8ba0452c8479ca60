<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Database;
use CDS\ForbiddenException;
use CDS\InvalidParamsException;

/**
 * Solidarity finance through PHP FFI. The rules are the Swift suite's (CampaignTests,
 * FundingRuleTests, FinanceMethodTests); these prove the door: a campaign created and
 * opened, a gift collected with a pool's partial match read back as integers, a refusal
 * as the binding's exception with its code and field, and a giver who may not mark her own
 * gift collected through a handle that is not trusted.
 */
final class FinanceTest extends CdsTestCase
{
    private const ANZI = '09.581.03.03';

    /** @return array{Database, string, array<string, string>} the trusted handle, its file, and the ids of the commune, the ADC, the giver and the open campaign */
    private function world(): array
    {
        $path = $this->temporaryPath();
        $db = $this->openDatabase($path);
        $ids = [
            'commune' => $db->organization->create(kind: 'commune', territory: self::ANZI)['id'],
            'adc' => $db->member->create(name: 'Youssef', gender: 'm', roles: ['adc'], residence_country: 'MA', adc_commune: self::ANZI)['id'],
            'giver' => $db->member->create(self::memberParams(['name' => 'Brahim', 'email' => 'brahim@example.org']))['id'],
        ];
        $project = $db->project->create(title: ['fr' => "Réseau d'eau potable"], communes: [self::ANZI], sector: 'EAU', adc: $ids['adc'])['id'];
        $draft = $db->campaign->create(project: $project, title: ['fr' => "Le réseau d'eau"], model: 'all_or_nothing',
                                       goal: ['minor' => 100000, 'currency' => 'EUR'], opens_on: '2026-06-01', closes_on: '2026-06-30');
        self::assertSame('draft', $draft['status']);
        self::assertSame('open', $db->campaign->open(id: $draft['id'])['status']);
        $ids['campaign'] = $draft['id'];

        return [$db, $path, $ids];
    }

    public function testACollectedGiftStatesThePoolsPartialMatchInIntegers(): void
    {
        [$db, , $ids] = $this->world();
        $pool = $db->pool->create(organization: $ids['commune'], name: "Abondement d'Anzi", amount: ['minor' => 3000, 'currency' => 'EUR'],
                                  campaign: $ids['campaign'], rate_bp: 10000, opens_on: '2026-06-01', closes_on: '2026-06-30')['id'];
        $gift = $db->gift->create(campaign: $ids['campaign'], member: $ids['giver'], amount: ['minor' => 5000, 'currency' => 'EUR'], on: '2026-06-02');
        self::assertSame('pledged', $gift['status']);
        $collected = $db->gift->move(id: $gift['id'], to: 'collected', on: '2026-06-03');
        $match = $collected['matches'][0];
        self::assertSame([$pool, 3000, 5000, true, 'pool_exhausted'], [$match['pool'], $match['amount'], $match['wanted'], $match['partial'], $match['limited_by']]);
        self::assertSame(3000, $collected['matched']);
        $totals = $db->campaign->get(id: $ids['campaign'])['totals'];
        self::assertSame(['minor' => 5000, 'currency' => 'EUR'], $totals['collected']);
        self::assertSame(8000, $totals['received']['minor']);
        self::assertSame(['minor' => 0, 'currency' => 'EUR'], $db->pool->get(id: $pool)['left']);
    }

    public function testAGiftInAnotherCurrencyWithoutARateIsAnInvalidParamsException(): void
    {
        [$db, , $ids] = $this->world();
        $before = $db->audit->verify()['events'];
        try {
            $db->gift->create(campaign: $ids['campaign'], member: $ids['giver'], amount: ['minor' => 5000, 'currency' => 'MAD'], on: '2026-06-02');
            self::fail('a gift in MAD without a rate into EUR was taken');
        } catch (InvalidParamsException $e) {
            self::assertSame('invalid_params', $e->getErrorCode());
            self::assertSame('amount.currency', $e->getDetails()['field']);
        }
        self::assertSame($before, $db->audit->verify()['events']);
    }

    public function testAGiverMayNotMarkHerOwnGiftCollected(): void
    {
        [, $path, $ids] = $this->world();
        $portal = $this->openDatabase($path, ['now' => self::NOW, 'trusted' => false]);
        $giver = $portal->actingAs($ids['giver']);
        $pledged = $giver->gift->create(campaign: $ids['campaign'], member: $ids['giver'], amount: ['minor' => 2500, 'currency' => 'EUR'], on: '2026-06-02');
        try {
            $giver->gift->move(id: $pledged['id'], to: 'collected', on: '2026-06-03');
            self::fail('a giver marked her own gift collected');
        } catch (ForbiddenException $e) {
            self::assertSame('forbidden', $e->getErrorCode());
            self::assertSame('gift.move', $e->getDetails()['rule']);
        }
        self::assertSame('pledged', $giver->gift->get(id: $pledged['id'])['status']);
        self::assertSame('collected', $portal->actingAs($ids['adc'])->gift->move(id: $pledged['id'], to: 'collected', on: '2026-06-03')['status']);
    }
}
