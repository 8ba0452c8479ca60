<?php

declare(strict_types=1);

namespace CDS;

/**
 * The parameters do not match the method's schema: an unknown, missing or malformed field. The details name the `field` and the `reason`.
 *
 * Error code: "invalid_params".
 */
class InvalidParamsException extends Exception
{
}
