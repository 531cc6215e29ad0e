package io.aigateway.routing;

/**
 * What an upstream outcome means for the request and for the deployment that produced it. Every decision about
 * retrying, benching and circuit breaking reads this, never raw statuses; {@link FailureClassifier} is the only
 * place that maps outcomes to it.
 */
public enum FailureClass {
    /** 2xx: the backend did its job. */
    SUCCESS(false, false, false),
    /** 400 (context length, content filter, bad parameters), 404 on a path the caller chose, 409, 413, 422, ...: relayed, never blamed on the backend. */
    CALLER_FAULT(false, false, false),
    /** 429: this deployment (or its quota group) is busy until its Retry-After; another one may take the request. */
    RATE_LIMITED(true, false, false),
    /** 429/403 {@code insufficient_quota}: the deployment's quota is spent; benched, the request moves on. */
    QUOTA_EXHAUSTED(true, false, false),
    /** 401/403: the key was refused; the key is disabled, the request tries the next key, then the next deployment. */
    CREDENTIAL(true, false, false),
    /** 404 {@code DeploymentNotFound} / {@code model_not_found}: the deployment does not exist upstream; flagged. */
    DEPLOYMENT_GONE(true, false, false),
    /** 5xx (and 408): the deployment failed; counts toward its circuit breaker. */
    SERVER_ERROR(true, true, false),
    /** No connection could be made: the whole endpoint is down for every deployment on it. */
    CONNECT_FAILURE(true, true, true),
    /**
     * The backend's certificate was refused (not trusted, expired, or not for this host) or the TLS handshake was
     * refused: a configuration fault that retrying the same backend cannot fix. The request moves on and the
     * backend's deployments are flagged until a config reload, an operator or a passing health check.
     */
    TLS_FAILURE(true, false, false),
    /** The backend did not answer, or stopped sending, in time. */
    TIMEOUT(true, true, false),
    /** The connection broke after it was made (reset, closed early, unparsable reply). */
    BROKEN_CONNECTION(true, true, false),
    /** Anything else (a redirect, an unexpected status): relayed, not retried, not counted. */
    UNKNOWN(false, false, false);

    private final boolean retryable;
    private final boolean transientFailure;
    private final boolean endpointWide;

    FailureClass(boolean retryable, boolean transientFailure, boolean endpointWide) {
        this.retryable = retryable;
        this.transientFailure = transientFailure;
        this.endpointWide = endpointWide;
    }

    /** Whether another attempt may be made, as long as nothing has reached the client yet. */
    public boolean retryable() {
        return retryable;
    }

    /** Transient failures (5xx, connection, timeout): they count toward the deployment's circuit breaker. */
    public boolean unhealthy() {
        return transientFailure;
    }

    /** Whether it counts against every deployment on the same endpoint. */
    public boolean endpointWide() {
        return endpointWide;
    }
}
