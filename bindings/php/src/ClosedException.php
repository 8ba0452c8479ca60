<?php

declare(strict_types=1);

namespace CDS;

/**
 * A method was called on a {@see Database} after {@see Database::close()}.
 *
 * Error code: "closed".
 */
class ClosedException extends Exception
{
}
