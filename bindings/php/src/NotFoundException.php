<?php

declare(strict_types=1);

namespace CDS;

/**
 * An entity named in the parameters does not exist. The details name the `entity` and the `id`.
 *
 * Error code: "not_found".
 */
class NotFoundException extends Exception
{
}
