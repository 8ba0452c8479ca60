<?php

declare(strict_types=1);

namespace CDS;

/**
 * The actor's role may not do this.
 *
 * Error code: "forbidden".
 */
class ForbiddenException extends Exception
{
}
