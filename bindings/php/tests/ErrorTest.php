<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Exception;
use CDS\InvalidParamsException;
use CDS\NotFoundException;
use CDS\UnknownMethodException;

/**
 * Every error answer is thrown as the exception of its code, with its details.
 */
final class ErrorTest extends CdsTestCase
{
    public function testUnknownMethodThrowsUnknownMethodException(): void
    {
        $db = $this->openDatabase();

        try {
            $db->call('member.fly', ['name' => 'Icare']);
            self::fail('member.fly answered');
        } catch (UnknownMethodException $e) {
            self::assertSame('unknown_method', $e->getErrorCode());
            self::assertNotSame('', $e->getMessage());
        }
    }

    public function testUnknownMethodThroughTheMagicNamespaceThrowsUnknownMethodException(): void
    {
        $db = $this->openDatabase();

        $this->expectException(UnknownMethodException::class);
        $db->territory->teleport(['code' => '09.541.11.33']);
    }

    public function testUnknownFieldThrowsInvalidParamsExceptionWhoseDetailsNameTheField(): void
    {
        $db = $this->openDatabase();

        try {
            $db->member->create(self::memberParams(['emial' => 'typo@example.org']));
            self::fail('a member was created with an unknown field');
        } catch (InvalidParamsException $e) {
            self::assertSame('invalid_params', $e->getErrorCode());
            self::assertSame('emial', $e->getDetails()['field'] ?? null, \json_encode($e->getDetails()));
        }
        self::assertSame([], $db->member->list()['items'], 'a typo must not store anything');
    }

    public function testUnknownFieldOnTerritoryGetThrowsInvalidParamsExceptionNamingTheField(): void
    {
        $db = $this->openDatabase();

        try {
            $db->territory->get(['code' => '09.541.11.33', 'langue' => 'fr']);
            self::fail('territory.get accepted an unknown field');
        } catch (InvalidParamsException $e) {
            self::assertSame('langue', $e->getDetails()['field'] ?? null, \json_encode($e->getDetails()));
        }
    }

    public function testUnknownTerritoryThrowsNotFoundExceptionFromTerritoryGet(): void
    {
        $db = $this->openDatabase();

        try {
            $db->territory->get(['code' => '09.541.99.99']);
            self::fail('an unknown territory was found');
        } catch (NotFoundException $e) {
            self::assertSame('not_found', $e->getErrorCode());
            self::assertSame('09.541.99.99', $e->getDetails()['id'] ?? null, \json_encode($e->getDetails()));
            self::assertSame('territory', $e->getDetails()['entity'] ?? null, \json_encode($e->getDetails()));
        }
    }

    public function testUnknownMemberIdThrowsNotFoundExceptionFromMemberGet(): void
    {
        $db = $this->openDatabase();

        $this->expectException(NotFoundException::class);
        $db->member->get(['id' => 'no-such-member']);
    }

    public function testNegativeLimitThrowsInvalidParamsException(): void
    {
        $db = $this->openDatabase();

        try {
            $db->territory->list(['level' => 'commune', 'limit' => -1]);
            self::fail('a negative limit was accepted');
        } catch (InvalidParamsException $e) {
            self::assertSame('limit', $e->getDetails()['field'] ?? null, \json_encode($e->getDetails()));
        }
        $this->expectException(InvalidParamsException::class);
        $db->member->list(['limit' => -5]);
    }

    public function testLimitAboveOneThousandThrowsInvalidParamsException(): void
    {
        $db = $this->openDatabase();

        $this->expectException(InvalidParamsException::class);
        $db->member->list(['limit' => 1001]);
    }

    public function testTenMegabyteMemberNameThrowsInvalidParamsExceptionAndStoresNothing(): void
    {
        $db = $this->openDatabase();

        try {
            $db->member->create(self::memberParams(['name' => \str_repeat('a', 10 * 1024 * 1024)]));
            self::fail('a 10 MB name was accepted');
        } catch (InvalidParamsException $e) {
            self::assertSame('invalid_params', $e->getErrorCode());
            self::assertLessThan(100_000, \strlen($e->getMessage()), 'the message does not echo the whole value');
        }

        self::assertSame([], $db->member->list()['items']);
        $memberEvents = \array_filter(
            $db->event->list()['items'],
            static fn (array $event): bool => \str_starts_with((string) $event['type'], 'member'),
        );
        self::assertSame([], \array_values($memberEvents));
    }

    public function testMissingRequiredFieldThrowsInvalidParamsExceptionNamingTheField(): void
    {
        $db = $this->openDatabase();

        try {
            $db->member->create(['gender' => 'f', 'roles' => ['diaspora']]);
            self::fail('a member without a name was created');
        } catch (InvalidParamsException $e) {
            self::assertSame('name', $e->getDetails()['field'] ?? null, \json_encode($e->getDetails()));
        }
    }

    public function testEveryLibraryErrorIsACdsExceptionAndARuntimeException(): void
    {
        $db = $this->openDatabase();

        try {
            $db->territory->get(['code' => 'nowhere']);
            self::fail('territory "nowhere" was found');
        } catch (Exception $e) {
            self::assertInstanceOf(\RuntimeException::class, $e);
            self::assertContains($e->getErrorCode(), ['not_found', 'invalid_params']);
        }
    }
}
