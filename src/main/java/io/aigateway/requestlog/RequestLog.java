package io.aigateway.requestlog;

import io.aigateway.config.RequestLogConfig;
import io.aigateway.store.RequestLogStore;
import io.aigateway.store.StoreHealth;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The request log of a gateway with a store: the writer, its metrics, and the retention purge. Started with the web
 * application and closed with it (which flushes the queue).
 */
public final class RequestLog implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RequestLog.class);
    /** Old rows go at most this long after they are due. */
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final RequestLogWriter writer;
    private final RequestLogStore store;
    private final Clock clock;
    private final int retentionDays;
    private final ScheduledExecutorService purger;
    private final java.util.List<java.util.function.LongConsumer> dropListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private long droppedReported;

    private RequestLog(RequestLogWriter writer, RequestLogStore store, Clock clock, int retentionDays) {
        this.writer = writer;
        this.store = store;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.purger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aigateway-request-log-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts writing to the store, purging old rows every hour, and reporting to the metrics registry. */
    public static RequestLog start(RequestLogStore store, RequestLogConfig config, Clock clock,
            PrometheusRegistry metrics) {
        return start(store, config, clock, metrics, null);
    }

    /**
     * The same, telling {@code health} whether each write reached the database (null: nobody to tell), and pausing
     * between tries by {@code clock} while it does not.
     */
    public static RequestLog start(RequestLogStore store, RequestLogConfig config, Clock clock,
            PrometheusRegistry metrics, StoreHealth health) {
        RequestLog log = new RequestLog(new RequestLogWriter(store::insert, config.queueSize(), clock, health), store,
                clock, config.retentionDays());
        log.purger.scheduleWithFixedDelay(log::purgeQuietly, 1, PURGE_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        log.purger.scheduleWithFixedDelay(log::reportDrops, 1, 1, TimeUnit.MINUTES);
        if (metrics != null) {
            CounterWithCallback.builder().name("aigateway_request_log_dropped_total")
                    .help("Request log rows dropped because the write queue was full")
                    .callback(callback -> callback.call(log.writer.dropped())).register(metrics);
            CounterWithCallback.builder().name("aigateway_request_log_failed_total")
                    .help("Request log rows lost because the database refused their batch (a bad row), or was still"
                            + " unreachable at shutdown; batches that fail to reach the database are retried")
                    .callback(callback -> callback.call(log.writer.failed())).register(metrics);
            CounterWithCallback.builder().name("aigateway_request_log_retries_total")
                    .help("Request log batches tried again because the database could not be reached")
                    .callback(callback -> callback.call(log.writer.retries())).register(metrics);
            GaugeWithCallback.builder().name("aigateway_request_log_queue_depth")
                    .help("Request log rows waiting to be written")
                    .callback(callback -> callback.call(log.writer.depth())).register(metrics);
        }
        return log;
    }

    public RequestLogWriter writer() {
        return writer;
    }

    /** Deletes rows older than {@code request_log.retention_days}; returns how many. */
    public int purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(retentionDays));
        int purged = store.purgeBefore(cutoff);
        if (purged > 0) {
            LOG.info("Request log: purged {} rows older than {}", purged, cutoff);
        }
        return purged;
    }

    /** Called with the number of rows dropped since the last report, when there were any (checked every minute). */
    public void addDropListener(java.util.function.LongConsumer listener) {
        dropListeners.add(listener);
    }

    /** Tells the drop listeners how many rows were dropped since the last report; returns that number. */
    public synchronized long reportDrops() {
        long dropped = writer.dropped();
        long fresh = dropped - droppedReported;
        droppedReported = dropped;
        if (fresh > 0) {
            LOG.warn("Request log: {} rows dropped (queue full)", fresh);
            dropListeners.forEach(listener -> listener.accept(fresh));
        }
        return fresh;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException x) {
            LOG.warn("Request log: purge failed: {}", x.toString());
        }
    }

    /** Stops purging and flushes the queue. */
    @Override
    public void close() {
        purger.shutdownNow();
        writer.close();
    }
}
