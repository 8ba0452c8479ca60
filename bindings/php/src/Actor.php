<?php

declare(strict_types=1);

namespace CDS;

/**
 * A {@see Database} seen by one caller: every call carries her `actor` (a member's id, or
 * none for an anonymous visitor), as a portal does for the signed-in person of a request.
 *
 * ```php
 * $me = $db->actingAs($_SESSION['member_id']);
 * $me->member->get(id: $_SESSION['member_id']);   // her own contact fields
 * $me->project->transition(project: $p, to: 'formulation');
 * ```
 *
 * The access table decides what she may do and see ({@see ForbiddenException} otherwise).
 * The host authenticates people; the library trusts the id it is given. A call that gives
 * `actor` itself is refused, so that one request cannot act as another person by mistake.
 */
final class Actor
{
    /**
     * @param Database    $db    the database the calls go to
     * @param string|null $actor the member who acts, null for an anonymous visitor
     */
    public function __construct(private readonly Database $db, private readonly ?string $actor)
    {
    }

    /** The member this view acts as (null: an anonymous visitor). */
    public function actor(): ?string
    {
        return $this->actor;
    }

    /**
     * Calls one JSON method as {@see actor()}; see {@see Database::call()}.
     *
     * @param string              $method the method name, e.g. "member.get"
     * @param array<mixed>|object $params the params object
     *
     * @return mixed the decoded `result`
     *
     * @throws Exception the error answered by the library, mapped to its subclass
     * @throws \InvalidArgumentException when the params name an actor
     */
    public function call(string $method, array|object $params = []): mixed
    {
        return $this->db->call($method, $this->withActor($params));
    }

    /**
     * Iterates over every item of a list method as {@see actor()}; see {@see Database::pages()}.
     *
     * @param string               $method the list method, e.g. "project.list"
     * @param array<string, mixed> $params the params of the first page
     * @param mixed                ...$named named arguments, merged into $params
     *
     * @return \Generator<int, mixed> the items, page after page
     */
    public function pages(string $method, array $params = [], mixed ...$named): \Generator
    {
        $all = $this->withActor($named + $params);
        return $this->db->pages($method, \is_array($all) ? $all : (array) $all);
    }

    /**
     * A namespace of methods called as {@see actor()}: `$me->member->get(id: $id)`.
     *
     * @param string $name the namespace, e.g. "member"
     */
    public function __get(string $name): MethodGroup
    {
        return new MethodGroup($this, $name);
    }

    /**
     * The params with this view's actor.
     *
     * @param array<mixed>|object $params
     *
     * @return array<mixed>
     */
    private function withActor(array|object $params): array
    {
        $params = (array) $params;
        if (\array_key_exists('actor', $params)) {
            throw new \InvalidArgumentException('this view acts as its actor: do not pass actor to its calls');
        }
        if ($this->actor !== null) {
            $params['actor'] = $this->actor;
        }
        return $params;
    }
}
