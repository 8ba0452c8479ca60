<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ConflictException;
use CDS\InvalidParamsException;

/**
 * Invitations, circles and the outbox through PHP FFI, as Tests/CDSTests/MobilizationTests.swift
 * and OutreachTests.swift prove them: the circles an ADC starts, the codes refused, an
 * outreach that reaches the engineer of Lyon in French and the host's acknowledgement.
 */
final class MobilizationTest extends CdsTestCase
{
    private const ANZI = '09.581.03.03';
    private const CONTACT = [['purpose' => 'contact', 'version' => '2026-01']];

    /** @return array<string, mixed> */
    private static function profile(string $name): array
    {
        return ['name' => $name, 'gender' => 'f', 'roles' => ['diaspora'], 'residence_country' => 'FR', 'origin' => self::ANZI, 'consents' => self::CONTACT];
    }

    public function testAnAdcStartsTheFirstCircleAndAMemberTheSecond(): void
    {
        $db = $this->openDatabase();
        $adc = $db->member->create(['name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::ANZI])['id'];
        $aicha = $db->invitation->accept(['code' => $db->invitation->create(['by' => $adc, 'channel' => 'email'])['code'], 'profile' => self::profile('Aicha')]);
        $this->assertTrue($aicha['linked']);
        $hanane = $db->invitation->accept(['code' => $db->invitation->create(['by' => $aicha['member']['id'], 'channel' => 'sms'])['code'], 'profile' => self::profile('Hanane')]);
        $report = $db->circle->indicators(['provenance' => true]);
        $this->assertSame([1, 2], \array_column($report['circles'], 'circle'));
        $this->assertSame([$hanane['member']['id']], $report['circles'][1]['member_ids']);
    }

    public function testAUsedCodeIsRefusedAndNothingIsStored(): void
    {
        $db = $this->openDatabase();
        $adc = $db->member->create(['name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA'])['id'];
        $code = $db->invitation->create(['by' => $adc, 'channel' => 'link'])['code'];
        $db->invitation->accept(['code' => $code, 'profile' => self::profile('Aicha')]);
        $before = $db->audit->verify()['events'];
        try {
            $db->invitation->accept(['code' => $code, 'profile' => self::profile('Autre')]);
            $this->fail('a used code is refused');
        } catch (ConflictException $e) {
            $this->assertSame('used', $e->getDetails()['reason']);
        }
        $this->assertSame($before, $db->audit->verify()['events']);
    }

    public function testOutreachReachesTheEngineerInFrenchAndTheHostAcknowledges(): void
    {
        $db = $this->openDatabase();
        $project = $db->project->create(['title' => ['fr' => 'Eau potable du douar Ait Ali'], 'communes' => [self::ANZI], 'sector' => 'EAU'])['id'];
        $need = $db->need->create(['project' => $project, 'kind' => 'skill', 'description' => 'Conception hydraulique', 'skills' => ['2142'],
                                   'quantity' => ['unit' => 'person_days', 'amount' => 10]])['id'];
        $engineer = $db->member->create(['name' => 'Brahim Ait Ouarab', 'gender' => 'm', 'roles' => ['diaspora'], 'residence_country' => 'FR',
                                         'residence_city' => 'Lyon', 'origin' => self::ANZI, 'languages' => ['shi', 'ar', 'fr'],
                                         'email' => 'brahim@example.org', 'consents' => self::CONTACT])['id'];
        $db->offer->create(['member' => $engineer, 'kind' => 'skill', 'skills' => ['2142'], 'capacity' => ['unit' => 'person_days', 'amount' => 10], 'contact_consent' => true]);
        try {
            $db->outreach->send(['need' => $need, 'params' => ['link' => 'x', 'colour' => 'red']]);
            $this->fail('an unknown template parameter is refused');
        } catch (InvalidParamsException $e) {
            $this->assertSame('params.colour', $e->getDetails()['field']);
        }
        $sent = $db->outreach->send(['need' => $need, 'params' => ['link' => 'https://cds.example.org/n/1']]);
        $this->assertSame('fr', $sent['queued'][0]['language']);
        $taken = $db->outbox->next(['limit' => 5])['messages'];
        $this->assertCount(1, $taken);
        $this->assertStringStartsWith('Bonjour Brahim Ait Ouarab', $taken[0]['text']);
        $done = $db->outbox->ack(['id' => $taken[0]['id'], 'status' => 'delivered']);
        $this->assertSame($done, $db->outbox->ack(['id' => $taken[0]['id'], 'status' => 'delivered']));
        $this->assertSame(1, $db->outreach->indicators([])['reached']);
    }
}
