<?php

declare(strict_types=1);

namespace CDS;

/**
 * A bug in the library (or a malformed answer from it); please report it.
 *
 * Error code: "internal".
 */
class InternalException extends Exception
{
}
