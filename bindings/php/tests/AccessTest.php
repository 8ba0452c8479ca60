<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\Database;
use CDS\ForbiddenException;

/**
 * The access control through the PHP door: a handle opened without `trusted` acts as each
 * call's actor; actingAs() carries her on every call; a refusal is a ForbiddenException
 * with the rule's key. (Which method each role may call is the Swift suite's access matrix.)
 */
final class AccessTest extends CdsTestCase
{
    /** @return array{Database, string, string} the portal's handle, and two members' ids */
    private function world(): array
    {
        $path = $this->temporaryPath();
        $db = $this->openDatabase($path);
        $amina = $db->member->create(name: 'Amina', gender: 'f', roles: ['diaspora'], residence_country: 'FR',
                                     email: 'amina@example.org', residence_city: 'Lyon')['id'];
        $naima = $db->member->create(name: 'Naima', gender: 'f', roles: ['diaspora'], residence_country: 'BE',
                                     consents: [['purpose' => 'publication', 'version' => '1']])['id'];
        return [$this->openDatabase($path, ['now' => self::NOW, 'trusted' => false]), $amina, $naima];
    }

    public function testARefusalIsAForbiddenExceptionWithTheRuleKey(): void
    {
        [$portal, $amina] = $this->world();
        try {
            $portal->member->export(id: $amina);
            self::fail('an anonymous caller exported a member');
        } catch (ForbiddenException $e) {
            self::assertSame('forbidden', $e->getErrorCode());
            self::assertSame('member.export', $e->getDetails()['rule']);
            self::assertStringNotContainsString('amina@example.org', $e->getMessage());
        }
    }

    public function testActingAsCarriesTheActorOnEveryCall(): void
    {
        [$portal, $amina, $naima] = $this->world();
        $me = $portal->actingAs($amina);
        self::assertSame($amina, $me->actor());
        self::assertSame('amina@example.org', $me->member->get(id: $amina)['email']);
        self::assertSame($amina, $me->call('member.export', ['id' => $amina])['member']['id']);
        $this->expectException(ForbiddenException::class);
        $portal->actingAs($naima)->member->export(id: $amina);
    }

    public function testAViewRefusesAnActorGivenToOneOfItsCalls(): void
    {
        [$portal, $amina, $naima] = $this->world();
        $this->expectException(\InvalidArgumentException::class);
        $portal->actingAs($naima)->member->get(id: $amina, actor: $amina);
    }

    public function testAnAnonymousListLeavesOutAndSaysHowMany(): void
    {
        [$portal, , $naima] = $this->world();
        $page = $portal->actingAs(null)->member->list(limit: 100);
        self::assertSame([$naima], \array_column($page['items'], 'id'));
        self::assertSame(1, $page['withheld']);
        $all = \iterator_to_array($portal->actingAs(null)->pages('member.list', limit: 1), false);
        self::assertSame([$naima], \array_column($all, 'id'));
    }
}
