package io.aigateway.log;

import io.aigateway.routing.FailureClass;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one client request did, written once when it ends: who asked for what, where it went, how it ended and how
 * long it took. The one source for request logs, metrics and usage records; it never holds a key, and holds bodies
 * only when its tenant captures them (for the store alone).
 *
 * @param tenant     the tenant's name, or null when the request was refused before authentication
 * @param keyId      the id of the key the client authenticated with ({@code tenants[].keys[].id}), or null
 * @param model      the public model asked for, or null (a stored-response request, a refused body)
 * @param operation  the OpenAI operation ({@code CHAT_COMPLETIONS}, ...)
 * @param backend    the backend of the last attempt, or null when no attempt was made
 * @param deployment the deployment id ({@code backend/name}) of the last attempt, or null
 * @param status     the status the client got
 * @param stream     whether the client asked for a stream
 * @param attempts   upstream attempts made (0 when refused by the gateway itself)
 * @param failures   the class of each failed attempt, in order
 * @param errorCode  the gateway's own error code when it answered with one, else null
 * @param cancelled  whether the client went away before the end
 * @param firstByte  time from arrival to the first byte of the response sent to the client, or null
 * @param duration   time from arrival to the end
 * @param requestId  a unique id of this request (a random UUID), for finding it in the request log
 * @param clientIp   the address the request came from (the container's remote address)
 * @param endpoint   the path the client called, without the query ({@code /v1/chat/completions})
 * @param usage      tokens used and their cost ({@link io.aigateway.usage.Usage#NONE} when no backend answered);
 *                   estimated by the gateway's tokenizer when the backend reported none
 * @param bodies     the request and response bodies, capped and redacted, when the tenant captures them; else null
 */
public record RequestRecord(Instant start, String tenant, String keyId, String model, String operation, String backend, String deployment,
                            int status, boolean stream, int attempts, List<FailureClass> failures, String errorCode,
                            boolean cancelled, Duration firstByte, Duration duration, String requestId,
                            String clientIp, String endpoint, io.aigateway.usage.Usage usage,
                            CapturedBodies bodies) {
    public RequestRecord {
        failures = List.copyOf(failures);
        usage = usage == null ? io.aigateway.usage.Usage.NONE : usage;
    }

    /** A record without captured bodies. */
    public RequestRecord(Instant start, String tenant, String keyId, String model, String operation, String backend,
                         String deployment, int status, boolean stream, int attempts, List<FailureClass> failures,
                         String errorCode, boolean cancelled, Duration firstByte, Duration duration, String requestId,
                         String clientIp, String endpoint, io.aigateway.usage.Usage usage) {
        this(start, tenant, keyId, model, operation, backend, deployment, status, stream, attempts, failures, errorCode,
            cancelled, firstByte, duration, requestId, clientIp, endpoint, usage, null);
    }

    /** Attempts beyond the first. */
    public int retries() {
        return Math.max(0, attempts - 1);
    }
}
