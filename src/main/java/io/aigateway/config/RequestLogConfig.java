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
 */
public record RequestLogConfig(boolean enabled, int retentionDays, int queueSize) {

    /** A month of history. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** A few seconds of heavy traffic while the database is slow. */
    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    /** @throws ConfigException naming each field that breaks its rule */
    public RequestLogConfig {
        Problems problems = new Problems();
        if (retentionDays < 1) {
            problems.add("retention_days", "must be at least 1");
        }
        if (queueSize < 1) {
            problems.add("queue_size", "must be at least 1");
        }
        problems.throwIfAny("RequestLogConfig");
    }

    public static RequestLogConfig defaults() {
        return new RequestLogConfig(true, DEFAULT_RETENTION_DAYS, DEFAULT_QUEUE_SIZE);
    }
}
