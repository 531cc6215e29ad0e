package io.aigateway.quota;

import java.time.Instant;

/**
 * The answer to a request: admitted with a ticket, refused until {@code resetAt}, or not decided because the store
 * failed and the gateway fails closed.
 *
 * @param ticket      what to settle; null when refused or undecided
 * @param resetAt     when the period ends; null when undecided
 */
public record QuotaDecision(QuotaTicket ticket, Instant resetAt) {

    /** The store could not be asked and the gateway fails closed. */
    public static final QuotaDecision UNAVAILABLE = new QuotaDecision(null, null);

    public boolean admitted() {
        return ticket != null;
    }

    public boolean unavailable() {
        return ticket == null && resetAt == null;
    }
}
