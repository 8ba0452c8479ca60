<?php

declare(strict_types=1);

namespace CDS;

/**
 * Another writer held the database longer than busy_timeout_ms.
 *
 * Error code: "busy".
 */
class BusyException extends Exception
{
}
