<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ForbiddenException;
use CDS\InvalidParamsException;
use CDS\TransitionNotAllowedException;

/**
 * Learning through PHP FFI, as Tests/CDSTests/LearningTests.swift and LearningSpaceTests.swift
 * prove the rules: an ADC completes a module through a webinar and a reviewed assignment,
 * the competence is attested and exported as an unsigned credential; the library's
 * refusals are exceptions and store nothing.
 */
final class LearningTest extends CdsTestCase
{
    private const ANZI = '09.581.03.03';

    /** @return array{0: string, 1: string} a facilitator and the ADC of Anzi */
    private static function people(\CDS\Database $db): array
    {
        $fac = $db->member->create(['name' => 'Samira', 'gender' => 'f', 'roles' => ['facilitator'], 'residence_country' => 'MA', 'at' => '2026-01-05T09:00:00Z'])['id'];
        $adc = $db->member->create(['name' => 'Youssef', 'gender' => 'm', 'roles' => ['adc'], 'residence_country' => 'MA', 'adc_commune' => self::ANZI,
                                    'origin' => self::ANZI, 'at' => '2026-01-20T09:00:00Z'])['id'];

        return [$fac, $adc];
    }

    public function testAWebinarAndAReviewedAssignmentAttestTheCompetence(): void
    {
        $db = $this->openDatabase();
        [$fac, $adc] = self::people($db);
        $webinar = $db->learning_event->create(['kind' => 'webinar', 'title' => 'Communiquer', 'actor' => $fac, 'at' => '2026-02-01T09:00:00Z',
                                                'sessions' => [['on' => '2026-02-12', 'link' => 'https://visio.example.org/2']]]);
        $session = $webinar['sessions'][0]['id'];
        $module = $db->module->create(['title' => 'Communication', 'competence' => 'communication', 'actor' => $fac, 'at' => '2026-02-01T10:00:00Z',
                                       'criteria' => ['sessions' => [$session], 'assignment' => 'Un communiqué de la commune']]);
        $db->learning_event->register(['event' => $webinar['id'], 'member' => $adc, 'at' => '2026-02-02T09:00:00Z']);
        $enrollment = $db->enrollment->create(['module' => $module['id'], 'member' => $adc, 'at' => '2026-02-02T09:30:00Z'])['id'];
        $db->attendance->record(['session' => $session, 'member' => $adc, 'status' => 'present', 'actor' => $fac, 'at' => '2026-02-12T18:00:00Z']);
        $db->enrollment->submit(['id' => $enrollment, 'submission' => 'Communiqué', 'actor' => $adc, 'at' => '2026-02-14T09:00:00Z']);
        $db->enrollment->review(['id' => $enrollment, 'status' => 'accepted', 'actor' => $fac, 'at' => '2026-02-16T09:00:00Z']);
        $done = $db->enrollment->complete(['id' => $enrollment, 'actor' => $fac, 'at' => '2026-02-17T09:00:00Z']);
        $this->assertSame('2026-02-16', $done['enrollment']['completed_on']);
        $badge = $db->competence->credential(['id' => $done['competence']['id']]);
        $this->assertFalse($badge['signed']);
        $this->assertContains('OpenBadgeCredential', $badge['credential']['type']);
        $values = \array_column($db->learning->indicators(['as_of' => '2026-12-31'])['indicators'], 'value', 'id');
        $this->assertSame(1, $values['adcs_trained']);
    }

    public function testRefusalsAreExceptionsAndStoreNothing(): void
    {
        $db = $this->openDatabase();
        [, $adc] = self::people($db);
        $webinar = $db->learning_event->create(['kind' => 'webinar', 'title' => 'Monter un projet', 'at' => '2026-02-01T09:00:00Z',
                                                'sessions' => [['on' => '2026-02-10', 'link' => 'https://visio.example.org/1']]]);
        $session = $webinar['sessions'][0]['id'];
        $db->learning_event->register(['event' => $webinar['id'], 'member' => $adc, 'at' => '2026-02-02T09:00:00Z']);
        $module = $db->module->create(['title' => 'Ingénierie', 'competence' => 'project_engineering', 'criteria' => ['sessions' => [$session]], 'at' => '2026-02-01T10:00:00Z']);
        $enrollment = $db->enrollment->create(['module' => $module['id'], 'member' => $adc, 'at' => '2026-02-03T09:00:00Z'])['id'];
        $space = $db->space->create(['kind' => 'thematic', 'name' => 'Eau', 'theme' => 'water', 'languages' => ['fr']])['id'];
        $before = $db->audit->verify()['events'];
        try {
            $db->attendance->record(['session' => $session, 'member' => $adc, 'status' => 'present', 'at' => '2026-02-05T09:00:00Z']);
            $this->fail('no attendance before the session takes place');
        } catch (InvalidParamsException $e) {
            $this->assertSame('session', $e->getDetails()['field']);
        }
        try {
            $db->enrollment->complete(['id' => $enrollment, 'at' => '2026-02-11T09:00:00Z']);
            $this->fail('an unrecorded session keeps a module from being completed');
        } catch (TransitionNotAllowedException $e) {
            $this->assertSame(['session.not_recorded'], \array_column($e->getDetails()['missing'], 'key'));
        }
        try {
            $db->thread->create(['space' => $space, 'title' => 'Bonjour', 'author' => $adc, 'body' => 'Je ne suis pas membre']);
            $this->fail('a member writes only in a space she is in');
        } catch (ForbiddenException $e) {
            $this->assertSame('space.member', $e->getDetails()['rule']);
        }
        $this->assertSame($before, $db->audit->verify()['events']);
    }
}
