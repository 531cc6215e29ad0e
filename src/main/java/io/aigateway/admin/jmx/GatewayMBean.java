package io.aigateway.admin.jmx;

/**
 * {@code aigateway:type=Gateway}: the running gateway as a whole. Request totals count since the web application
 * started.
 */
public interface GatewayMBean {
    /** Where the config file is and how it was found, e.g. {@code /etc/gw.yaml (system property aigateway.config)}. */
    String getConfigSource();

    /** The config snapshots applied since start: 1 for the file loaded at startup, one more per reload. */
    int getConfigVersion();

    /** When the config in force was applied, ISO-8601. */
    String getConfigLoadedAt();

    int getTenantCount();

    int getBackendCount();

    /** Deployments of every backend, enabled or not. */
    int getDeploymentCount();

    /** Public model names and aliases clients may ask for. */
    int getPublicModelCount();

    /** Client requests in the gateway now. */
    int getRequestsInFlight();

    /** Retries in flight now (capped by {@code routing.retry_budget}). */
    int getRetriesInFlight();

    /** Client requests finished. */
    long getRequestsTotal();

    /** Client requests finished with a 2xx status. */
    long getRequestsSucceeded();

    /** Client requests finished with a 4xx status (the gateway's refusals and relayed caller faults). */
    long getRequestsClientErrors();

    /** Client requests finished with a 5xx status. */
    long getRequestsServerErrors();

    /** Client requests whose client went away before the end. */
    long getRequestsCancelled();

    /** Upstream attempts beyond the first of each request. */
    long getRetriesTotal();

    /**
     * Reads the config file again and applies it, as {@code POST /admin/reload} does: an invalid file is refused and
     * the running config stays.
     *
     * @return {@code applied}, or {@code refused: } and every problem with its field path
     */
    String reload();
}
