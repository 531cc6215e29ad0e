package io.aigateway.routing;

/**
 * What an upstream outcome means for the request and for the deployment that produced it. The routing and
 * resilience work refines this set; every decision about retrying and health reads it, never raw statuses.
 */
public enum FailureClass {
    /** 2xx/3xx: the backend did its job. */
    SUCCESS(false, false, false),
    /** 4xx other than 429: the caller's request is at fault; relay it, never blame the backend. */
    CALLER_FAULT(false, false, false),
    /** 429: this deployment is busy; another one may take the request. */
    RATE_LIMITED(true, false, false),
    /** 5xx: the deployment failed. */
    SERVER_ERROR(true, true, false),
    /** No connection could be made: the whole endpoint is down for every deployment on it. */
    CONNECT_FAILURE(true, true, true),
    /** The backend did not answer in time. */
    TIMEOUT(true, true, false),
    /** The connection broke after it was made (reset, closed early, protocol error). */
    BROKEN_CONNECTION(true, true, false);

    private final boolean retryable;
    private final boolean unhealthy;
    private final boolean endpointWide;

    FailureClass(boolean retryable, boolean unhealthy, boolean endpointWide) {
        this.retryable = retryable;
        this.unhealthy = unhealthy;
        this.endpointWide = endpointWide;
    }

    /** Whether another deployment may be tried, as long as nothing has reached the client yet. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether this counts against the deployment's health. */
    public boolean unhealthy() {
        return unhealthy;
    }

    /** Whether it counts against every deployment on the same endpoint. */
    public boolean endpointWide() {
        return endpointWide;
    }
}
