package io.aigateway.metrics;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.registry.Registry;
import io.aigateway.routing.FailureClass;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The series made from {@link RequestRecord}s: one update per finished request, on the thread that finished it
 * (counters and histograms are lock-free adders). Histograms are classic ones with fixed buckets and no exemplars:
 * exemplar sampling would start the client library's scheduler thread, which outlives an undeployed WAR.
 */
final class RequestMetrics implements RequestListener {
    /**
     * Seconds: model answers take from a fraction of a second to minutes, so the buckets reach ten minutes
     * (the default {@code routing.request_timeout}).
     */
    static final double[] SECONDS_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600};

    private final Supplier<Registry> registry;
    private final Counter requests;
    private final Histogram duration;
    private final Histogram firstByte;
    private final Counter attempts;
    private final Counter retries;
    private final Counter failures;
    private final Counter cancelled;
    private volatile boolean closed;

    RequestMetrics(PrometheusRegistry prometheus, Supplier<Registry> registry) {
        this.registry = registry;
        requests = Counter.builder().name("aigateway_requests_total")
            .help("Client requests finished, by tenant, public model, backend of the last attempt and status class")
            .labelNames("tenant", "model", "backend", "status").withoutExemplars().register(prometheus);
        duration = Histogram.builder().name("aigateway_request_duration_seconds").unit(Unit.SECONDS)
            .help("Time from a request's arrival to its end, by public model and backend of the last attempt")
            .labelNames("model", "backend").classicOnly().classicUpperBounds(SECONDS_BUCKETS).withoutExemplars()
            .register(prometheus);
        firstByte = Histogram.builder().name("aigateway_request_first_byte_seconds").unit(Unit.SECONDS)
            .help("Time from a request's arrival to the first byte sent to the client, by public model and backend")
            .labelNames("model", "backend").classicOnly().classicUpperBounds(SECONDS_BUCKETS).withoutExemplars()
            .register(prometheus);
        attempts = Counter.builder().name("aigateway_upstream_attempts_total")
            .help("Upstream attempts made for client requests, the first included, by public model")
            .labelNames("model").withoutExemplars().register(prometheus);
        retries = Counter.builder().name("aigateway_upstream_retries_total")
            .help("Upstream attempts beyond the first, by public model")
            .labelNames("model").withoutExemplars().register(prometheus);
        failures = Counter.builder().name("aigateway_upstream_failures_total")
            .help("Failed upstream attempts, by failure class (rate_limited, server_error, connect_failure, ...)")
            .labelNames("class").withoutExemplars().register(prometheus);
        cancelled = Counter.builder().name("aigateway_requests_cancelled_total")
            .help("Client requests whose client went away before the end, by public model")
            .labelNames("model").withoutExemplars().register(prometheus);
    }

    @Override
    public void onRequest(RequestRecord record) {
        if (closed)
            return;
        String model = Labels.model(record.model(), registry.get());
        String backend = Labels.orNone(record.backend());
        requests.labelValues(Labels.orNone(record.tenant()), model, backend, Labels.statusClass(record.status())).inc();
        duration.labelValues(model, backend).observe(seconds(record.duration()));
        if (record.firstByte() != null)
            firstByte.labelValues(model, backend).observe(seconds(record.firstByte()));
        if (record.attempts() > 0)
            attempts.labelValues(model).inc(record.attempts());
        if (record.retries() > 0)
            retries.labelValues(model).inc(record.retries());
        for (FailureClass failure : record.failures())
            failures.labelValues(Labels.lowerCase(failure)).inc();
        if (record.cancelled())
            cancelled.labelValues(model).inc();
    }

    /** Stops counting: the gateway keeps its listeners until it is dropped, and this one outlives nothing. */
    void close() {
        closed = true;
    }

    private static double seconds(Duration duration) {
        return duration == null ? 0 : duration.toNanos() / 1e9;
    }
}
