<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Library;
use FFI\CData;

/**
 * The C ABI itself, driven through the raw FFI instance: bad input never crashes the
 * process, misuse is reported, every answer is JSON to free with cds_free.
 */
final class AbiTest extends CdsTestCase
{
    public function testLoadedLibraryImplementsTheAbiVersionRecordedInTheGeneratedHeader(): void
    {
        self::assertSame(1, Library::headerAbiVersion());
        self::assertSame(Library::headerAbiVersion(), Library::abiVersion());
        self::assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', Library::version());
    }

    public function testMetaVersionAnswersTheLibraryVersionAndAbi(): void
    {
        $db = $this->openDatabase();

        $version = $db->meta->version();

        self::assertSame(Library::version(), $version['version']);
        self::assertSame(Library::abiVersion(), $version['abi']);
        self::assertIsInt($version['schema']);
    }

    public function testInvalidUtf8InRawParamsAnswersAnErrorJsonWithoutCrashing(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            $out = $ffi->new('char*');

            $status = $ffi->cds_call($db, 'territory.get', "{\"code\": \"\xff\"}", \FFI::addr($out));

            self::assertSame(Library::CDS_ERROR, $status);
            self::assertFalse(\FFI::isNull($out));
            try {
                $json = \FFI::string($out);
            } finally {
                $ffi->cds_free($out);
            }
            self::assertSame(1, \preg_match('//u', $json), 'the answer is valid UTF-8');
            $answer = \json_decode($json, true, 512, \JSON_THROW_ON_ERROR);
            self::assertContains($answer['error']['code'] ?? null, ['invalid_json', 'invalid_params'], $json);
            self::assertIsString($answer['error']['message']);
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testInvalidUtf8InARawMemberNameStoresNothing(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            $params = '{"name": "Nad' . "\xc3\x28" . 'ia", "gender": "f", "roles": ["diaspora"]}';
            self::assertSame(Library::CDS_ERROR, $this->rawCall($ffi, $db, 'member.create', $params, $answer));
            self::assertContains($answer['error']['code'] ?? null, ['invalid_json', 'invalid_params']);

            self::assertSame(Library::CDS_OK, $this->rawCall($ffi, $db, 'member.list', null, $list));
            self::assertSame([], $list['result']['items']);
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testMalformedJsonAnswersInvalidJson(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            self::assertSame(Library::CDS_ERROR, $this->rawCall($ffi, $db, 'territory.get', '{"code": ', $answer));
            self::assertSame('invalid_json', $answer['error']['code'] ?? null);
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testNullParamsAreTakenAsAnEmptyObject(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            self::assertSame(Library::CDS_OK, $this->rawCall($ffi, $db, 'meta.version', null, $answer));
            self::assertSame(Library::version(), $answer['result']['version']);
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testInterruptOnANullOrIdleHandleDoesNothingAndTheNextCallRuns(): void
    {
        $ffi = self::ffi();
        $ffi->cds_interrupt(null);
        $db = \CDS\Database::open(':memory:');
        $db->interrupt();
        self::assertSame(1, $db->call('meta.version')['abi']);
        $db->close();
        $db->interrupt();
        self::assertTrue($db->isClosed());
    }

    public function testTheInterruptedCodeMapsToInterruptedException(): void
    {
        $e = \CDS\Exception::fromError(['code' => 'interrupted', 'message' => 'stopped', 'details' => []]);
        self::assertInstanceOf(\CDS\InterruptedException::class, $e);
        self::assertSame('interrupted', $e->getErrorCode());
    }

    public function testNullHandleToCdsCallAnswersMisuseAndSetsOutToNull(): void
    {
        $ffi = self::ffi();
        $out = $ffi->new('char*');
        $sentinel = $ffi->new('char[8]');
        \FFI::addr($out)[0] = $ffi->cast('char*', \FFI::addr($sentinel));
        self::assertFalse(\FFI::isNull($out));

        $status = $ffi->cds_call(null, 'meta.version', '{}', \FFI::addr($out));

        self::assertSame(Library::CDS_MISUSE, $status);
        self::assertSame(2, $status);
        self::assertTrue(\FFI::isNull($out), 'out is set to NULL');
    }

    public function testNullMethodToCdsCallAnswersMisuseAndSetsOutToNull(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            $out = $ffi->new('char*');
            $sentinel = $ffi->new('char[8]');
            \FFI::addr($out)[0] = $ffi->cast('char*', \FFI::addr($sentinel));

            $status = $ffi->cds_call($db, null, '{}', \FFI::addr($out));

            self::assertSame(Library::CDS_MISUSE, $status);
            self::assertTrue(\FFI::isNull($out));
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testNullOutPointerToCdsCallAnswersMisuse(): void
    {
        $ffi = self::ffi();
        $db = $this->rawOpen($ffi);
        try {
            self::assertSame(Library::CDS_MISUSE, $ffi->cds_call($db, 'meta.version', '{}', null));
        } finally {
            $ffi->cds_close($db);
        }
    }

    public function testNullPathToCdsOpenAnswersMisuse(): void
    {
        $ffi = self::ffi();
        $db = $ffi->new('cds_db*');
        $error = $ffi->new('char*');

        $status = $ffi->cds_open(null, null, \FFI::addr($db), \FFI::addr($error));

        self::assertSame(Library::CDS_MISUSE, $status);
        self::assertTrue(\FFI::isNull($db));
        if (!\FFI::isNull($error)) {
            $ffi->cds_free($error);
        }
    }

    public function testCdsCloseAndCdsFreeOfNullAreNoOps(): void
    {
        $ffi = self::ffi();

        $ffi->cds_close(null);
        $ffi->cds_free(null);

        self::assertSame(Library::headerAbiVersion(), $ffi->cds_abi_version());
    }

    /** Opens a temporary database through the raw ABI; the caller closes it. */
    private function rawOpen(\FFI $ffi): CData
    {
        $db = $ffi->new('cds_db*');
        $error = $ffi->new('char*');
        $status = $ffi->cds_open($this->temporaryPath(), '{"now": "' . self::NOW . '"}', \FFI::addr($db), \FFI::addr($error));
        if (!\FFI::isNull($error)) {
            $message = \FFI::string($error);
            $ffi->cds_free($error);
            self::fail('cds_open: ' . $message);
        }
        self::assertSame(Library::CDS_OK, $status);
        self::assertFalse(\FFI::isNull($db));

        return $db;
    }

    /**
     * One raw call; $answer receives the decoded answer.
     *
     * @param-out array<string, mixed> $answer
     */
    private function rawCall(\FFI $ffi, CData $db, string $method, ?string $params, mixed &$answer): int
    {
        $out = $ffi->new('char*');
        $status = $ffi->cds_call($db, $method, $params, \FFI::addr($out));
        self::assertFalse(\FFI::isNull($out), "{$method}: an answer");
        try {
            $json = \FFI::string($out);
        } finally {
            $ffi->cds_free($out);
        }
        $answer = \json_decode($json, true, 512, \JSON_THROW_ON_ERROR);

        return $status;
    }
}
