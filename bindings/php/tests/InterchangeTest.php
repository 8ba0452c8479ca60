<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\ConflictException;
use CDS\InvalidParamsException;

/**
 * Interchange through the door: import.csv, export.csv, export.iati and backup (the rules are the Swift suites').
 */
final class InterchangeTest extends CdsTestCase
{
    private const SHEET = "\u{FEFF}Réf;Nom;Genre;Rôles;Pays de résidence;Origine;Date d'inscription\r\n"
        . "M-1;عائشة آيت علي;f;diaspora;FR;09.581.01.05;13/02/2026\r\n"
        . "M-2;Brahim Aït Ouarab;w;diaspora;FR;09.581.03.03;28/02/2026\r\n";

    public function testImportCsvDryRunAnswersEveryProblemAndWritesNothing(): void
    {
        $db = $this->openDatabase();
        $report = $db->import->csv(['entity' => 'members', 'csv' => self::SHEET, 'dates' => 'fr', 'dry_run' => true]);
        self::assertFalse($report['written']);
        self::assertSame(2, $report['rows']);
        self::assertCount(1, $report['problems']);
        self::assertSame(['row' => 3, 'column' => 'Genre', 'value' => 'w'], \array_slice($report['problems'][0], 0, 3));
        self::assertSame([], $db->member->list()['items']);
    }

    public function testImportCsvFromAPathThenAgainChangesNothing(): void
    {
        $db = $this->openDatabase();
        $path = $this->temporaryPath() . '.csv';
        \file_put_contents($path, \str_replace(';w;', ';m;', self::SHEET));
        try {
            $first = $db->call('import.csv', ['entity' => 'members', 'path' => $path, 'dates' => 'fr']);
            self::assertSame(2, $first['created']);
            $again = $db->import->csv(['entity' => 'members', 'path' => $path, 'dates' => 'fr']);
            self::assertSame([0, 2], [$again['created'], $again['unchanged']]);
        } finally {
            \unlink($path);
        }
    }

    public function testImportCsvWithoutASourceIsAnInvalidParamsException(): void
    {
        $db = $this->openDatabase();
        try {
            $db->import->csv(['entity' => 'members']);
            self::fail('import.csv without csv or path should fail');
        } catch (InvalidParamsException $e) {
            self::assertSame('csv', $e->getDetails()['field']);
        }
    }

    public function testExportCsvAnswersTextForFrenchExcel(): void
    {
        $db = $this->openDatabase();
        $db->import->csv(['entity' => 'members', 'csv' => \str_replace(';w;', ';m;', self::SHEET), 'dates' => 'fr']);
        $out = $db->export->csv(['entity' => 'members', 'separator' => ';', 'bom' => true]);
        self::assertSame(2, $out['rows']);
        self::assertStringStartsWith("\u{FEFF}id;ref;name;gender;", $out['csv']);
        self::assertStringContainsString(';M-1;عائشة آيت علي;f;', $out['csv']);
    }

    public function testExportIatiAnswersXmlOrTheRulesBroken(): void
    {
        $db = $this->openDatabase();
        $org = $db->organization->create(['kind' => 'facilitator', 'name' => 'CDS Souss-Massa', 'iati_ref' => 'XI-IATI-CDSSM']);
        $p = $db->project->create(['title' => ['fr' => 'Eau potable', 'ar' => 'الماء الصالح للشرب'], 'communes' => ['09.581.03.03'],
            'sector' => 'EAU', 'summary' => ['fr' => 'Raccorder 60 foyers'], 'start_on' => '2026-09-01', 'end_on' => '2027-03-31',
            'lead_organization' => $org['id']]);
        $xml = $db->export->iati(['projects' => [$p['id']]])['xml'];
        self::assertStringContainsString('<iati-identifier>XI-IATI-CDSSM-', $xml);
        $idea = $db->project->create(['title' => ['fr' => 'Idée']]);
        try {
            $db->export->iati(['projects' => [$idea['id']]]);
            self::fail('an idea without dates should not publish');
        } catch (ConflictException $e) {
            self::assertNotEmpty($e->getDetails()['problems']);
        }
    }

    public function testBackupCopiesTheFileAndVerifiesIt(): void
    {
        $db = $this->openDatabase();
        $db->member->create(self::memberParams());
        $copy = $this->temporaryPath();
        $answer = $db->call('backup', ['path' => $copy]);
        self::assertTrue($answer['verified']);
        $c = $this->openDatabase($copy);
        self::assertSame('Youssef Aït Brahim', $c->member->list()['items'][0]['name']);
        $this->expectException(ConflictException::class);
        $db->call('backup', ['path' => $copy]);
    }
}
