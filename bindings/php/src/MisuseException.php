<?php

declare(strict_types=1);

namespace CDS;

/**
 * The library answered CDS_MISUSE: a NULL handle, method or out pointer reached the C ABI. Nothing was done.
 *
 * Error code: "misuse".
 */
class MisuseException extends Exception
{
}
