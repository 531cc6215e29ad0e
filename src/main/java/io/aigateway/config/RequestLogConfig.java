package io.aigateway.config;

/**
 * The {@code request_log} section: one row per request in the store, and one JSON line per request on the log4j2
 * logger {@code aigateway.request}.
 *
 * @param enabled       {@code request_log.enabled}: whether requests are logged; default true (rows are written
 *                      only when there is a store)
 * @param retentionDays {@code request_log.retention_days}: rows older than this many days are purged in the
 *                      background; at least 1, default {@value #DEFAULT_RETENTION_DAYS}
 * @param queueSize     {@code request_log.queue_size}: rows waiting to be written; when full, new rows are dropped
 *                      and counted ({@code aigateway_request_log_dropped_total}) and requests are never held up;
 *                      at least 1, default {@value #DEFAULT_QUEUE_SIZE}
 * @param captureBodies {@code request_log.capture_bodies}: whether rows also keep the request body and the response
 *                      text (the assembled text of a stream), capped and with secrets masked; overridden per tenant
 *                      by {@code tenants[].capture_bodies}; default false. Bodies go to the store only, never to
 *                      the {@code aigateway.request} log line.
 * @param maxBodyBytes  {@code request_log.max_body_bytes}: the most UTF-8 bytes kept of each captured body; a
 *                      longer one is cut and marked truncated; at least 1, default {@value #DEFAULT_MAX_BODY_BYTES}
 */
public record RequestLogConfig(boolean enabled, int retentionDays, int queueSize, boolean captureBodies,
        int maxBodyBytes) {

    /** A month of history. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** A few seconds of heavy traffic while the database is slow. */
    public static final int DEFAULT_QUEUE_SIZE = 10_000;
    /** 16 KiB: a prompt and a reply of a few pages each. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16_384;

    /** @throws ConfigException naming each field that breaks its rule */
    public RequestLogConfig {
        Problems problems = new Problems();
        if (retentionDays < 1) {
            problems.add("retention_days", "must be at least 1");
        }
        if (queueSize < 1) {
            problems.add("queue_size", "must be at least 1");
        }
        if (maxBodyBytes < 1) {
            problems.add("max_body_bytes", "must be at least 1");
        }
        problems.throwIfAny("RequestLogConfig");
    }

    /** Without body capture. */
    public RequestLogConfig(boolean enabled, int retentionDays, int queueSize) {
        this(enabled, retentionDays, queueSize, false, DEFAULT_MAX_BODY_BYTES);
    }

    public static RequestLogConfig defaults() {
        return new RequestLogConfig(true, DEFAULT_RETENTION_DAYS, DEFAULT_QUEUE_SIZE);
    }

    /**
     * Whether the requests of this tenant have their bodies captured: its own {@code capture_bodies} when set, else
     * {@code request_log.capture_bodies}. Never when the request log is off.
     */
    public boolean capturesBodies(TenantConfig tenant) {
        if (!enabled) {
            return false;
        }
        Boolean own = tenant == null ? null : tenant.captureBodies();
        return own != null ? own : captureBodies;
    }
}
