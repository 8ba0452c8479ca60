<?php

declare(strict_types=1);

namespace CDS;

/**
 * A workflow transition was refused because some of its guards are not met.
 *
 * Error code: "transition_not_allowed". Every unmet requirement is listed at once in
 * {@see getMissing()}.
 */
class TransitionNotAllowedException extends Exception
{
    /**
     * The unmet requirements, as `[['key' => 'funding_plan.covers_budget', 'label' => '…'], …]`.
     *
     * @return list<array<string, mixed>>
     */
    public function getMissing(): array
    {
        $missing = $this->getDetails()['missing'] ?? [];

        return \is_array($missing) ? \array_values($missing) : [];
    }
}
