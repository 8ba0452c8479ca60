<?php

declare(strict_types=1);

namespace CDS;

/**
 * A namespace of methods, as returned by `$db->member`, `$db->territory`, …
 *
 * Calling a method on it calls the JSON method of the same dotted name:
 *
 * ```php
 * $db->member->create(['name' => 'Nadia', 'gender' => 'f', 'roles' => ['diaspora']]);
 * // is $db->call('member.create', ['name' => 'Nadia', 'gender' => 'f', 'roles' => ['diaspora']])
 *
 * $db->territory->get(code: '09.541.11.33');   // named arguments work too
 * ```
 *
 * Groups nest (`$db->a->b->c()` calls "a.b.c"), and PHP keywords are fine as names
 * (`$db->member->list()`, `$db->match->need(...)`).
 *
 * The methods, each with the groups that have it (a group has only its own):
 *
 * @generated-begin by scripts/gen-contract from meta.methods: do not edit until @generated-end
 * @method mixed accept(array<string, mixed>|object $params = []) match.accept, invitation.accept
 * @method mixed ack(array<string, mixed>|object $params = []) outbox.ack
 * @method mixed add_member(array<string, mixed>|object $params = []) space.add_member
 * @method mixed add_session(array<string, mixed>|object $params = []) learning_event.add_session
 * @method mixed all(array<string, mixed>|object $params = []) match.all
 * @method mixed allocate(array<string, mixed>|object $params = []) match.allocate
 * @method mixed attest(array<string, mixed>|object $params = []) competence.attest
 * @method mixed audience(array<string, mixed>|object $params = []) outreach.audience
 * @method mixed backup(array<string, mixed>|object $params = []) backup
 * @method mixed batch(array<string, mixed>|object $params = []) batch
 * @method mixed checklist(array<string, mixed>|object $params = []) project.checklist
 * @method mixed complete(array<string, mixed>|object $params = []) enrollment.complete
 * @method mixed compute(array<string, mixed>|object $params = []) indicators.compute
 * @method mixed configure(array<string, mixed>|object $params = []) outreach.configure
 * @method mixed create(array<string, mixed>|object $params = []) organization.create, member.create, project.create, need.create, offer.create, contribution.create, interaction.create, invitation.create, space.create, thread.create, post.create, resource.create, learning_event.create, module.create, enrollment.create, campaign.create, gift.create, pool.create
 * @method mixed credential(array<string, mixed>|object $params = []) competence.credential
 * @method mixed csv(array<string, mixed>|object $params = []) import.csv, export.csv
 * @method mixed decline(array<string, mixed>|object $params = []) match.decline
 * @method mixed define(array<string, mixed>|object $params = []) programme.define
 * @method mixed definitions(array<string, mixed>|object $params = []) indicators.definitions
 * @method mixed end(array<string, mixed>|object $params = []) agreement.end
 * @method mixed endorse(array<string, mixed>|object $params = []) project.endorse
 * @method mixed erase(array<string, mixed>|object $params = []) member.erase
 * @method mixed export(array<string, mixed>|object $params = []) member.export
 * @method mixed flag(array<string, mixed>|object $params = []) post.flag
 * @method mixed funding_check(array<string, mixed>|object $params = []) project.funding_check
 * @method mixed get(array<string, mixed>|object $params = []) territory.get, organization.get, member.get, agreement.get, project.get, need.get, offer.get, match.get, contribution.get, invitation.get, circle.get, outbox.get, space.get, thread.get, resource.get, learning_event.get, module.get, enrollment.get, campaign.get, gift.get, pool.get, programme.get
 * @method mixed give(array<string, mixed>|object $params = []) consent.give
 * @method mixed history(array<string, mixed>|object $params = []) project.history
 * @method mixed iati(array<string, mixed>|object $params = []) export.iati
 * @method mixed indicators(array<string, mixed>|object $params = []) circle.indicators, outreach.indicators, learning.indicators, finance.indicators
 * @method mixed join(array<string, mixed>|object $params = []) space.join
 * @method mixed list(array<string, mixed>|object $params = []) territory.list, reference.list, organization.list, member.list, agreement.list, project.list, need.list, offer.list, match.list, contribution.list, interaction.list, event.list, invitation.list, outbox.list, space.list, thread.list, resource.list, learning_event.list, attendance.list, module.list, enrollment.list, campaign.list, gift.list, pool.list, programme.list, valuation.list, rate.list
 * @method mixed member(array<string, mixed>|object $params = []) match.member
 * @method mixed methods(array<string, mixed>|object $params = []) meta.methods
 * @method mixed moderate(array<string, mixed>|object $params = []) post.moderate
 * @method mixed move(array<string, mixed>|object $params = []) gift.move
 * @method mixed need(array<string, mixed>|object $params = []) match.need
 * @method mixed next(array<string, mixed>|object $params = []) outbox.next
 * @method mixed offer(array<string, mixed>|object $params = []) match.offer
 * @method mixed open(array<string, mixed>|object $params = []) campaign.open
 * @method mixed propose(array<string, mixed>|object $params = []) match.propose
 * @method mixed publish(array<string, mixed>|object $params = []) module.publish
 * @method mixed record(array<string, mixed>|object $params = []) attendance.record
 * @method mixed register(array<string, mixed>|object $params = []) learning_event.register
 * @method mixed review(array<string, mixed>|object $params = []) enrollment.review
 * @method mixed revoke(array<string, mixed>|object $params = []) invitation.revoke, competence.revoke
 * @method mixed send(array<string, mixed>|object $params = []) outreach.send
 * @method mixed set(array<string, mixed>|object $params = []) valuation.set, rate.set
 * @method mixed set_target(array<string, mixed>|object $params = []) indicators.set_target
 * @method mixed set_weights(array<string, mixed>|object $params = []) match.set_weights
 * @method mixed settings(array<string, mixed>|object $params = []) outreach.settings
 * @method mixed settle(array<string, mixed>|object $params = []) campaign.settle
 * @method mixed sign(array<string, mixed>|object $params = []) agreement.sign
 * @method mixed submit(array<string, mixed>|object $params = []) enrollment.submit
 * @method mixed templates(array<string, mixed>|object $params = []) outreach.templates
 * @method mixed transition(array<string, mixed>|object $params = []) project.transition
 * @method mixed update(array<string, mixed>|object $params = []) organization.update, member.update, project.update, need.update, offer.update, contribution.update
 * @method mixed use(array<string, mixed>|object $params = []) resource.use
 * @method mixed verify(array<string, mixed>|object $params = []) audit.verify
 * @method mixed version(array<string, mixed>|object $params = []) meta.version
 * @method mixed weights(array<string, mixed>|object $params = []) match.weights
 * @method mixed withdraw(array<string, mixed>|object $params = []) consent.withdraw
 * @generated-end
 */
final class MethodGroup
{
    /**
     * @param Database|Actor $db     the database the calls go to (or a view of it acting as one member)
     * @param string         $prefix the dotted namespace, e.g. "member"
     */
    public function __construct(private readonly Database|Actor $db, private readonly string $prefix)
    {
    }

    /**
     * Calls the method "<prefix>.<name>".
     *
     * @param string            $name      the last part of the method name, e.g. "create"
     * @param array<int|string, mixed> $arguments either one positional array|object of params,
     *                                    none (params `{}`), or named arguments (the params)
     *
     * @return mixed the decoded "result" of the answer
     *
     * @throws Exception the error answered by the library, mapped to its subclass
     * @throws \InvalidArgumentException when the arguments are neither one params array
     *                                   nor named arguments
     */
    public function __call(string $name, array $arguments): mixed
    {
        return $this->db->call($this->prefix . '.' . $name, self::params($name, $arguments));
    }

    /**
     * A nested namespace: `$db->indicators->series` is the group "indicators.series".
     *
     * @param string $name the next part of the dotted name
     */
    public function __get(string $name): self
    {
        return new self($this->db, $this->prefix . '.' . $name);
    }

    /** The dotted namespace of this group, e.g. "member". */
    public function name(): string
    {
        return $this->prefix;
    }

    /**
     * The params of a magic call from its arguments.
     *
     * @param array<int|string, mixed> $arguments
     *
     * @return array<mixed>|object
     */
    private static function params(string $name, array $arguments): array|object
    {
        if ($arguments === []) {
            return [];
        }
        $named = \array_filter(\array_keys($arguments), 'is_string');
        if (\count($named) === \count($arguments)) {
            return $arguments;
        }
        if ($named === [] && \count($arguments) === 1 && (\is_array($arguments[0]) || \is_object($arguments[0]))) {
            return $arguments[0];
        }
        throw new \InvalidArgumentException(\sprintf(
            '%s(): pass one array (or object) of params, or named arguments',
            $name,
        ));
    }
}
