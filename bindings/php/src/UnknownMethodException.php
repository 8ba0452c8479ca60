<?php

declare(strict_types=1);

namespace CDS;

/**
 * No method has that name; "meta.methods" lists them all.
 *
 * Error code: "unknown_method".
 */
class UnknownMethodException extends Exception
{
}
