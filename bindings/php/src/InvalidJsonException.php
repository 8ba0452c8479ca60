<?php

declare(strict_types=1);

namespace CDS;

/**
 * The parameters were not valid JSON (or not valid UTF-8).
 *
 * Error code: "invalid_json".
 */
class InvalidJsonException extends Exception
{
}
