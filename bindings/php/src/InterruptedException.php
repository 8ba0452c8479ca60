<?php

declare(strict_types=1);

namespace CDS;

/**
 * Database::interrupt() (cds_interrupt) stopped the call; nothing was written.
 *
 * Error code: "interrupted".
 */
class InterruptedException extends Exception
{
}
