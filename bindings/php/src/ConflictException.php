<?php

declare(strict_types=1);

namespace CDS;

/**
 * The change conflicts with the current state (a duplicate, a stale version, …).
 *
 * Error code: "conflict".
 */
class ConflictException extends Exception
{
}
