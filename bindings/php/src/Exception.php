<?php

declare(strict_types=1);

namespace CDS;

/**
 * An error answered by CDS core, or raised by the binding itself.
 *
 * The library answers errors as `{"error": {"code", "message", "details"}}`; the code is a
 * stable string (`invalid_params`, `not_found`, …) kept by {@see getErrorCode()}, the
 * details object by {@see getDetails()}. Each known code has its own subclass, so that a
 * caller can catch exactly what it handles:
 *
 * ```php
 * try {
 *     $db->territory->get(['code' => '99.999.99.99']);
 * } catch (CDS\NotFoundException $e) {
 *     echo $e->getDetails()['entity'];  // "territory"
 * }
 * ```
 *
 * A code that this version of the binding does not know is thrown as a plain
 * `CDS\Exception`, so that a newer library never breaks an older binding.
 *
 * The integer `getCode()` inherited from \RuntimeException is always 0.
 */
class Exception extends \RuntimeException
{
    /**
     * Error code → exception class. Codes not listed map to {@see Exception} itself.
     *
     * @var array<string, class-string<Exception>>
     */
    private const CLASSES = [
        'invalid_json' => InvalidJsonException::class,
        'unknown_method' => UnknownMethodException::class,
        'invalid_params' => InvalidParamsException::class,
        'not_found' => NotFoundException::class,
        'conflict' => ConflictException::class,
        'transition_not_allowed' => TransitionNotAllowedException::class,
        'forbidden' => ForbiddenException::class,
        'storage' => StorageException::class,
        'busy' => BusyException::class,
        'interrupted' => InterruptedException::class,
        'internal' => InternalException::class,
        'misuse' => MisuseException::class,
        'closed' => ClosedException::class,
    ];

    /** The JSON error code, e.g. "invalid_params". */
    private string $errorCode;

    /** @var array<string, mixed> The JSON error details. */
    private array $details;

    /**
     * @param string               $message   the human-readable message
     * @param string               $errorCode the JSON error code, e.g. "not_found"
     * @param array<string, mixed> $details   the JSON error details
     * @param \Throwable|null      $previous  the cause, if any
     */
    public function __construct(string $message, string $errorCode, array $details = [], ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
        $this->errorCode = $errorCode;
        $this->details = $details;
        $this->pointAtTheCaller();
    }

    /**
     * The JSON error code, e.g. "invalid_params", "not_found", "transition_not_allowed".
     *
     * Codes raised by the binding itself: "misuse" (CDS_MISUSE status), "closed" (call on a
     * closed database), "abi_mismatch" and "library_load" (loading libcds.so).
     */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /**
     * The JSON error details (an empty array when the library gave none).
     *
     * For "invalid_params": `field` and `reason`; for "not_found": `entity` and `id`; for
     * "transition_not_allowed": `missing`.
     *
     * @return array<string, mixed>
     */
    public function getDetails(): array
    {
        return $this->details;
    }

    /**
     * Makes getFile()/getLine() name the caller's line rather than a line of the binding,
     * so that an uncaught error points at the `$db->…` call that failed.
     */
    private function pointAtTheCaller(): void
    {
        if (!\str_starts_with($this->getFile(), __DIR__ . \DIRECTORY_SEPARATOR)) {
            return;
        }
        foreach ($this->getTrace() as $frame) {
            if (isset($frame['file'], $frame['line']) && !\str_starts_with($frame['file'], __DIR__ . \DIRECTORY_SEPARATOR)) {
                $this->file = $frame['file'];
                $this->line = $frame['line'];

                return;
            }
        }
    }

    /**
     * Builds the exception for an error object answered by the library.
     *
     * @param mixed $error the decoded value of the "error" member:
     *                     `['code' => ..., 'message' => ..., 'details' => [...]]`
     *
     * @return Exception an instance of the subclass matching the code, or of Exception
     *                   itself for an unknown code
     */
    public static function fromError(mixed $error): self
    {
        if (!\is_array($error)) {
            return new InternalException('the library answered a malformed error: ' . \var_export($error, true), 'internal');
        }
        $code = \is_string($error['code'] ?? null) ? $error['code'] : 'internal';
        $message = \is_string($error['message'] ?? null) ? $error['message'] : $code;
        $details = \is_array($error['details'] ?? null) ? $error['details'] : [];
        $class = self::classFor($code);

        return new $class($message, $code, $details);
    }

    /**
     * The exception class thrown for an error code.
     *
     * @param string $code a JSON error code
     *
     * @return class-string<Exception>
     */
    public static function classFor(string $code): string
    {
        return self::CLASSES[$code] ?? self::class;
    }
}
