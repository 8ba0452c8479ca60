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
 */
final class MethodGroup
{
    /**
     * @param Database $db     the database the calls go to
     * @param string   $prefix the dotted namespace, e.g. "member"
     */
    public function __construct(private readonly Database $db, private readonly string $prefix)
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
