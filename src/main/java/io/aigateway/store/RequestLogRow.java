package io.aigateway.store;

import io.aigateway.log.RequestRecord;
import io.aigateway.routing.FailureClass;
import io.aigateway.usage.Usage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * One row of the request log. Token and cost columns stay null until usage is known for the request.
 */
@Entity
@Table(name = "request_log")
public class RequestLogRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "request_id", nullable = false)
    String requestId;
    @Column(name = "started_at", nullable = false)
    Instant started;
    String tenant;
    @Column(name = "key_id")
    String keyId;
    @Column(name = "client_ip")
    String clientIp;
    String endpoint;
    String operation;
    String model;
    String backend;
    String deployment;
    int attempts;
    /** The class of each failed attempt, comma-separated, in order. */
    String failures;
    int status;
    @Column(name = "error_code")
    String errorCode;
    @Column(name = "latency_ms")
    long latencyMs;
    @Column(name = "first_byte_ms")
    Long firstByteMs;
    @Column(name = "prompt_tokens")
    Long promptTokens;
    @Column(name = "completion_tokens")
    Long completionTokens;
    @Column(name = "cached_tokens")
    Long cachedTokens;
    @Column(name = "tokens_estimated")
    Boolean tokensEstimated;
    BigDecimal cost;
    boolean stream;
    boolean cancelled;
    /** The captured request body (capped, redacted), or null when the tenant does not capture bodies. */
    @Column(name = "request_body", columnDefinition = "TEXT")
    String requestBody;
    /** The captured response text (capped, redacted), or null. */
    @Column(name = "response_body", columnDefinition = "TEXT")
    String responseBody;
    /** Whether a captured body was cut at {@code request_log.max_body_bytes}; null when none was captured. */
    @Column(name = "bodies_truncated")
    Boolean bodiesTruncated;

    protected RequestLogRow() {
    }

    /**
     * The row of a finished request. Token and cost columns stay null when the request never had usage (refused
     * before it was admitted, or limits not running).
     */
    public static RequestLogRow from(RequestRecord record) {
        RequestLogRow row = new RequestLogRow();
        row.requestId = record.requestId();
        row.started = record.start();
        row.tenant = record.tenant();
        row.keyId = record.keyId();
        row.clientIp = record.clientIp();
        row.endpoint = truncate(record.endpoint(), 512);
        row.operation = record.operation();
        row.model = truncate(record.model(), 256);
        row.backend = record.backend();
        row.deployment = record.deployment();
        row.attempts = record.attempts();
        row.failures = record.failures().isEmpty() ? null
                : truncate(record.failures().stream().map(FailureClass::name).collect(Collectors.joining(",")), 1000);
        row.status = record.status();
        row.errorCode = record.errorCode();
        row.latencyMs = record.duration().toMillis();
        row.firstByteMs = record.firstByte() == null ? null : record.firstByte().toMillis();
        row.stream = record.stream();
        row.cancelled = record.cancelled();
        if (record.bodies() != null) {
            row.requestBody = record.bodies().request();
            row.responseBody = record.bodies().response();
            row.bodiesTruncated = record.bodies().truncated();
        }
        Usage usage = record.usage();
        if (usage != null) {
            row.promptTokens = usage.promptTokens();
            row.completionTokens = usage.completionTokens();
            row.cachedTokens = usage.cachedTokens();
            row.tokensEstimated = usage.estimated();
            row.cost = usage.cost();
        }
        return row;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    public Long id() {
        return id;
    }

    public String requestId() {
        return requestId;
    }

    public Instant started() {
        return started;
    }

    public String tenant() {
        return tenant;
    }

    public String keyId() {
        return keyId;
    }

    public String clientIp() {
        return clientIp;
    }

    public String endpoint() {
        return endpoint;
    }

    public String operation() {
        return operation;
    }

    public String model() {
        return model;
    }

    public String backend() {
        return backend;
    }

    public String deployment() {
        return deployment;
    }

    public int attempts() {
        return attempts;
    }

    public String failures() {
        return failures;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public long latencyMs() {
        return latencyMs;
    }

    public Long firstByteMs() {
        return firstByteMs;
    }

    public Long promptTokens() {
        return promptTokens;
    }

    public Long completionTokens() {
        return completionTokens;
    }

    public Long cachedTokens() {
        return cachedTokens;
    }

    public Boolean tokensEstimated() {
        return tokensEstimated;
    }

    public BigDecimal cost() {
        return cost;
    }

    public boolean stream() {
        return stream;
    }

    public boolean cancelled() {
        return cancelled;
    }

    public String requestBody() {
        return requestBody;
    }

    public String responseBody() {
        return responseBody;
    }

    public Boolean bodiesTruncated() {
        return bodiesTruncated;
    }
}
