<?php

declare(strict_types=1);

namespace CDS;

/**
 * The SQLite storage failed (file unreadable, disk full, read-only database, …).
 *
 * Error code: "storage".
 */
class StorageException extends Exception
{
}
