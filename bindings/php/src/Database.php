<?php

declare(strict_types=1);

namespace CDS;

use FFI\CData;

/**
 * One open CDS database (a SQLite file, or ":memory:"), over the C ABI of libcds.so.
 *
 * Every domain operation is a JSON method: {@see call()} takes the method name and its
 * params as a PHP array and answers the decoded `result`; an error answer is thrown as the
 * {@see Exception} subclass of its code. Methods are also reachable as magic namespaces:
 *
 * ```php
 * $db = CDS\Database::open('/var/lib/cds/cds.sqlite');
 * $t  = $db->territory->get(['code' => '09.541.11.33']);   // call('territory.get', …)
 * $m  = $db->member->create(['name' => 'Nadia', 'gender' => 'f', 'roles' => ['diaspora']]);
 * $db->close();
 * ```
 *
 * JSON objects come back as associative arrays. An empty params array is sent as `{}`.
 *
 * @generated-begin by scripts/gen-contract from meta.methods: do not edit until @generated-end
 * @property-read MethodGroup $meta           meta.version, meta.methods
 * @property-read MethodGroup $territory      territory.get, territory.list
 * @property-read MethodGroup $reference      reference.list
 * @property-read MethodGroup $organization   organization.create, organization.get, organization.update, organization.list
 * @property-read MethodGroup $member         member.create, member.get, member.update, member.list, member.export, member.erase
 * @property-read MethodGroup $consent        consent.give, consent.withdraw
 * @property-read MethodGroup $competence     competence.attest, competence.credential, competence.revoke
 * @property-read MethodGroup $agreement      agreement.sign, agreement.end, agreement.get, agreement.list
 * @property-read MethodGroup $project        project.create, project.get, project.update, project.list, project.checklist, project.transition, project.endorse, project.history, project.funding_check
 * @property-read MethodGroup $need           need.create, need.get, need.update, need.list
 * @property-read MethodGroup $offer          offer.create, offer.get, offer.update, offer.list
 * @property-read MethodGroup $match          match.need, match.offer, match.member, match.all, match.allocate, match.propose, match.accept, match.decline, match.get, match.list, match.weights, match.set_weights
 * @property-read MethodGroup $contribution   contribution.create, contribution.update, contribution.get, contribution.list
 * @property-read MethodGroup $interaction    interaction.create, interaction.list
 * @property-read MethodGroup $indicators     indicators.definitions, indicators.compute, indicators.set_target
 * @property-read MethodGroup $event          event.list
 * @property-read MethodGroup $audit          audit.verify
 * @property-read MethodGroup $batch          batch
 * @property-read MethodGroup $invitation     invitation.create, invitation.accept, invitation.get, invitation.list, invitation.revoke
 * @property-read MethodGroup $circle         circle.get, circle.indicators
 * @property-read MethodGroup $outreach       outreach.templates, outreach.settings, outreach.configure, outreach.audience, outreach.send, outreach.indicators
 * @property-read MethodGroup $outbox         outbox.next, outbox.ack, outbox.get, outbox.list
 * @property-read MethodGroup $space          space.create, space.get, space.list, space.join, space.add_member
 * @property-read MethodGroup $thread         thread.create, thread.get, thread.list
 * @property-read MethodGroup $post           post.create, post.moderate, post.flag
 * @property-read MethodGroup $resource       resource.create, resource.get, resource.list, resource.use
 * @property-read MethodGroup $learning_event learning_event.create, learning_event.add_session, learning_event.get, learning_event.list, learning_event.register
 * @property-read MethodGroup $attendance     attendance.record, attendance.list
 * @property-read MethodGroup $module         module.create, module.publish, module.get, module.list
 * @property-read MethodGroup $enrollment     enrollment.create, enrollment.get, enrollment.list, enrollment.submit, enrollment.review, enrollment.complete
 * @property-read MethodGroup $learning       learning.indicators
 * @property-read MethodGroup $campaign       campaign.create, campaign.open, campaign.settle, campaign.get, campaign.list
 * @property-read MethodGroup $gift           gift.create, gift.move, gift.get, gift.list
 * @property-read MethodGroup $pool           pool.create, pool.get, pool.list
 * @property-read MethodGroup $programme      programme.define, programme.get, programme.list
 * @property-read MethodGroup $valuation      valuation.set, valuation.list
 * @property-read MethodGroup $rate           rate.set, rate.list
 * @property-read MethodGroup $finance        finance.indicators
 * @property-read MethodGroup $import         import.csv
 * @property-read MethodGroup $export         export.csv, export.iati
 * @property-read MethodGroup $backup         backup
 * @generated-end
 */
final class Database
{
    /** Flags used to encode params and options. */
    public const JSON_ENCODE_FLAGS = \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES | \JSON_THROW_ON_ERROR;

    /** The owned `cds_db*` cell holding the handle; null once closed. */
    private ?CData $handle;

    /**
     * Use {@see open()}.
     *
     * @param \FFI   $ffi    the loaded library
     * @param CData  $handle an owned `cds_db*` cell holding a non-NULL handle
     * @param string $path   the path it was opened with
     */
    private function __construct(private readonly \FFI $ffi, CData $handle, private readonly string $path)
    {
        $this->handle = $handle;
    }

    /**
     * Opens (creating and migrating it if needed) the database at $path, or an in-memory
     * database for ":memory:".
     *
     * @param string               $path    a SQLite file path, or ":memory:"
     * @param array<string, mixed> $options the options object, e.g.
     *                                      `['now' => '2026-03-01T09:00:00Z']` (a fixed clock),
     *                                      `['busy_timeout_ms' => 5000]`, `['read_only' => true]`
     *
     * @throws Exception the error answered by cds_open (e.g. StorageException), or a
     *                   library loading error
     */
    public static function open(string $path, array $options = []): self
    {
        if (\str_contains($path, "\0")) {
            throw new InvalidParamsException('the path contains a NUL byte', 'invalid_params', ['field' => 'path', 'reason' => 'contains a NUL byte']);
        }
        $ffi = Library::ffi();
        $optionsJson = $options === [] ? null : self::encode($options, 'options');
        $db = $ffi->new('cds_db*');
        $error = $ffi->new('char*');
        $status = (int) $ffi->cds_open($path, $optionsJson, \FFI::addr($db), \FFI::addr($error));
        $errorJson = self::take($ffi, $error);

        if ($status === Library::CDS_OK && !\FFI::isNull($db)) {
            return new self($ffi, $db, $path);
        }
        if (!\FFI::isNull($db)) {
            $ffi->cds_close($db); // never happens per the ABI; do not leak if it does
        }
        if ($status === Library::CDS_MISUSE) {
            throw new MisuseException('cds_open answered CDS_MISUSE', 'misuse', ['path' => $path]);
        }
        if ($status === Library::CDS_ERROR && $errorJson !== null) {
            throw Exception::fromError(self::decode($errorJson)['error'] ?? null);
        }
        throw new InternalException(\sprintf('cds_open answered status %d without a handle', $status), 'internal', ['path' => $path]);
    }

    /**
     * Calls one JSON method and answers its decoded result.
     *
     * @param string              $method the method name, e.g. "member.create"
     * @param array<mixed>|object $params the params object (an empty array is sent as `{}`)
     *
     * @return mixed the decoded `result` (JSON objects as associative arrays)
     *
     * @throws ClosedException after {@see close()}
     * @throws Exception       the error answered by the library, mapped to its subclass
     *                         (InvalidParamsException, NotFoundException, …)
     */
    public function call(string $method, array|object $params = []): mixed
    {
        $handle = $this->handle;
        if ($handle === null) {
            throw new ClosedException(\sprintf('%s: the database %s is closed', $method, $this->path), 'closed', ['method' => $method]);
        }
        if (\str_contains($method, "\0")) {
            throw new UnknownMethodException('the method name contains a NUL byte', 'unknown_method', ['method' => $method]);
        }
        $json = self::encode($params, 'params');
        $out = $this->ffi->new('char*');
        $status = (int) $this->ffi->cds_call($handle, $method, $json, \FFI::addr($out));
        $answerJson = self::take($this->ffi, $out);

        if ($status === Library::CDS_MISUSE) {
            throw new MisuseException(\sprintf('%s: cds_call answered CDS_MISUSE', $method), 'misuse', ['method' => $method]);
        }
        if ($answerJson === null) {
            throw new InternalException(\sprintf('%s: cds_call answered status %d without an answer', $method, $status), 'internal', ['method' => $method]);
        }
        $answer = self::decode($answerJson);
        if ($status === Library::CDS_OK && \array_key_exists('result', $answer)) {
            return $answer['result'];
        }
        if ($status === Library::CDS_ERROR) {
            throw Exception::fromError($answer['error'] ?? null);
        }
        throw new InternalException(\sprintf('%s: unexpected status %d or answer shape', $method, $status), 'internal', ['method' => $method]);
    }

    /**
     * Iterates over every item of a list method, following `next_cursor`.
     *
     * `$db->pages('member.list', ['role' => 'adc'])` (or `$db->pages('member.list', role: 'adc')`)
     * yields the members one by one, calling the method again with `cursor` until
     * `next_cursor` is null. Each page is fetched when the previous one is used up, so a
     * `break` stops the calls.
     *
     * @param string               $method the list method, e.g. "member.list"
     * @param array<string, mixed> $params the params of the first page (`limit` applies to each page)
     * @param mixed                ...$named named arguments, merged into $params
     *
     * @return \Generator<int, mixed> the items, page after page
     *
     * @throws ClosedException after {@see close()}
     * @throws Exception       the error answered by the library for any page
     * @throws \InvalidArgumentException when a positional argument follows $params
     */
    public function pages(string $method, array $params = [], mixed ...$named): \Generator
    {
        foreach (\array_keys($named) as $key) {
            if (!\is_string($key)) {
                throw new \InvalidArgumentException('pages(): pass one array of params, then named arguments only');
            }
        }
        $params = $named + $params;
        while (true) {
            $page = $this->call($method, $params);
            foreach ($page['items'] ?? [] as $item) {
                yield $item;
            }
            $cursor = $page['next_cursor'] ?? null;
            if ($cursor === null || $cursor === '') {
                return;
            }
            $params['cursor'] = $cursor;
        }
    }

    /**
     * Stops the calls in progress on this handle (cds_interrupt): each throws
     * {@see InterruptedException} soon, with nothing written. Calls made afterwards run as
     * usual. PHP runs one call at a time per process, so this serves hosts that call from
     * a signal handler or another thread (ext-parallel); a no-op when closed or idle.
     */
    public function interrupt(): void
    {
        if ($this->handle !== null) {
            $this->ffi->cds_interrupt($this->handle);
        }
    }

    /**
     * Closes the handle. Idempotent: a second call does nothing. Any later
     * {@see call()} throws {@see ClosedException}.
     */
    public function close(): void
    {
        $handle = $this->handle;
        $this->handle = null;
        if ($handle !== null) {
            $this->ffi->cds_close($handle);
        }
    }

    /** Whether {@see close()} was called. */
    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    /** The path the database was opened with. */
    public function path(): string
    {
        return $this->path;
    }

    /**
     * The namespace of methods named $name: `$db->member->create([...])` calls
     * "member.create".
     *
     * @param string $name the first part of a method name, e.g. "member"
     */
    public function __get(string $name): MethodGroup
    {
        return new MethodGroup($this, $name);
    }

    /**
     * The same database, every call made by `$actor` (a member's id; null: an anonymous
     * visitor): see {@see Actor}.
     *
     * @param string|null $actor the member who acts
     */
    public function actingAs(?string $actor): Actor
    {
        return new Actor($this, $actor);
    }

    /** Closes the handle when the object goes away. */
    public function __destruct()
    {
        $this->close();
    }

    /**
     * A handle cannot be shared by two objects (each would close it): `clone` is an Error.
     */
    private function __clone()
    {
    }

    /**
     * A handle cannot be serialized.
     *
     * @return array<never>
     *
     * @throws \LogicException always
     */
    public function __serialize(): array
    {
        throw new \LogicException('a CDS\Database cannot be serialized');
    }

    /**
     * Encodes params or options as a JSON object (an empty array as `{}`).
     *
     * @param array<mixed>|object $value
     *
     * @throws InvalidParamsException when $value is a non-empty list (not an object)
     * @throws InvalidJsonException   when $value cannot be encoded (e.g. invalid UTF-8)
     */
    private static function encode(array|object $value, string $what): string
    {
        if ($value === []) {
            return '{}';
        }
        if (\is_array($value) && \array_is_list($value)) {
            throw new InvalidParamsException(
                \sprintf('%s must be an associative array or an object, not a list', $what),
                'invalid_params',
                ['field' => '', 'reason' => 'not an object'],
            );
        }
        try {
            return \json_encode($value, self::JSON_ENCODE_FLAGS);
        } catch (\JsonException $e) {
            throw new InvalidJsonException(\sprintf('cannot encode %s as JSON: %s', $what, $e->getMessage()), 'invalid_json', [], $e);
        }
    }

    /**
     * Decodes an answer of the library, which must be a JSON object.
     *
     * @return array<string, mixed>
     *
     * @throws InternalException when the answer is not a JSON object
     */
    private static function decode(string $json): array
    {
        try {
            $value = \json_decode($json, true, 512, \JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new InternalException('the library answered malformed JSON: ' . $e->getMessage(), 'internal', [], $e);
        }
        if (!\is_array($value)) {
            throw new InternalException('the library answered JSON that is not an object', 'internal');
        }

        return $value;
    }

    /**
     * Copies a string the library returned and frees it with cds_free, whatever happens.
     *
     * @param CData $cell an owned `char*` cell set by the library
     *
     * @return string|null the string, or null for a NULL pointer
     */
    private static function take(\FFI $ffi, CData $cell): ?string
    {
        if (\FFI::isNull($cell)) {
            return null;
        }
        try {
            return \FFI::string($cell);
        } finally {
            $ffi->cds_free($cell);
        }
    }
}
