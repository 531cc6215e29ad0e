package io.aigateway.routing.probe;

import io.aigateway.config.Durations;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The judgement of one probe. Only a 2xx answer is healthy: a rejected key (401/403), a missing path (404, e.g. an
 * {@code api_version} the resource does not know), throttling (429) and server errors (5xx) all mean a client
 * request sent there now would fail too.
 *
 * @param healthy whether the probe succeeded
 * @param reason  what happened, for logs and metrics; never holds a key or a response body
 */
public record ProbeVerdict(boolean healthy, String reason) {
    private static final String MASK = "[REDACTED]";

    /** The verdict on an answer with this status. */
    public static ProbeVerdict ofStatus(int status) {
        String reason = "HTTP " + status;
        if (status >= 200 && status < 300)
            return new ProbeVerdict(true, reason);
        String why = switch (status) {
            case 401, 403 -> ": key rejected";
            case 404 -> ": probe path not found";
            case 429 -> ": throttled";
            default -> status >= 500 ? ": server error" : status >= 300 && status < 400 ? ": redirect" : "";
        };
        return new ProbeVerdict(false, reason + why);
    }

    /** The verdict on a probe that got no complete answer. */
    public static ProbeVerdict ofFailure(Throwable failure, Duration timeout) {
        if (failure instanceof TimeoutException)
            return new ProbeVerdict(false, "timed out after " + Durations.format(timeout));
        String what = failure instanceof IOException ? "connection failed: " : "failed: ";
        String message = failure.getMessage();
        return new ProbeVerdict(false, what + failure.getClass().getSimpleName()
            + (message == null || message.isBlank() ? "" : " (" + message + ")"));
    }

    /**
     * This verdict with the secret masked wherever it appears in the reason. Reasons are built from statuses and
     * exception messages, which should never hold a key; this makes sure of it.
     */
    public ProbeVerdict redacting(String secret) {
        if (secret == null || secret.isEmpty() || !reason.contains(secret))
            return this;
        return new ProbeVerdict(healthy, reason.replace(secret, MASK));
    }
}
