package io.aigateway.requestlog;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.routing.FailureClass;
import io.aigateway.usage.Usage;
import io.aigateway.json.Json;
import jakarta.json.stream.JsonGenerator;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One JSON line per request on the log4j2 logger {@value #LOGGER} at INFO, for log pipelines that want the request
 * log without the database. Route or silence it in the log4j2 configuration like any logger.
 *
 * <p>The lines are written on a thread of their own, in batches: a request only queues its record. Building and
 * logging a line per request on the request's thread, each waking log4j2's writer on its own, cost the gateway
 * more than routing the request. A full queue drops records (counted), as the log channels do; {@link #close()}
 * writes what is queued.
 */
public final class RequestLogLine implements RequestListener, AutoCloseable {
    /** The logger's name. */
    public static final String LOGGER = "aigateway.request";
    /** Records waiting for their line; beyond that they are dropped, never waited for. */
    static final int CAPACITY = 8192;
    /** How long, in real time, a record may wait for others to join its batch. */
    static final long LINGER_MILLIS = 50;
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private static final Logger LOG = LogManager.getLogger(LOGGER);

    private final BlockingQueue<RequestRecord> queue;
    private final long lingerMillis;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean closing;

    public RequestLogLine() {
        this(CAPACITY, LINGER_MILLIS);
    }

    /** With another queue bound and linger (tests). */
    RequestLogLine(int capacity, long lingerMillis) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lingerMillis = lingerMillis;
        thread = new Thread(this::run, "aigateway-request-line");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onRequest(RequestRecord record) {
        if (closing || !LOG.isInfoEnabled())
            return;
        if (!queue.offer(record))
            dropped.increment();
    }

    /** Records whose line was dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Exports {@code aigateway_request_line_dropped_total}. */
    public void exportTo(PrometheusRegistry metrics) {
        CounterWithCallback.builder().name("aigateway_request_line_dropped_total")
                .help("Request log JSON lines (logger aigateway.request) dropped because their queue was full")
                .callback(callback -> callback.call(dropped())).register(metrics);
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>();
        try {
            while (true) {
                RequestRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing)
                        return;
                    continue;
                }
                if (!closing && queue.remainingCapacity() > queue.size())
                    linger(); // let a batch gather: one wake-up for many lines
                batch.add(first);
                queue.drainTo(batch);
                for (RequestRecord record : batch)
                    write(record);
                batch.clear();
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits out the linger, cut short by {@link #close()}. */
    private void linger() throws InterruptedException {
        long until = System.nanoTime() + lingerMillis * 1_000_000L;
        while (!closing && System.nanoTime() < until)
            Thread.sleep(Math.min(lingerMillis, 50));
    }

    private static void write(RequestRecord record) {
        try {
            LOG.info(json(record));
        } catch (RuntimeException x) {
            LOG.debug("Request line not written", x);
        }
    }

    /** Stops taking records and writes the queued lines, waiting up to ten seconds. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    /** The record as one line of JSON: never a key or a body. */
    static String json(RequestRecord r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = Json.createGenerator(out)) {
            json.writeStartObject();
            json.write("request_id", r.requestId());
            json.write("time", r.start().toString());
            write(json, "tenant", r.tenant());
            write(json, "key_id", r.keyId());
            write(json, "client_ip", r.clientIp());
            write(json, "endpoint", r.endpoint());
            write(json, "operation", r.operation());
            write(json, "model", r.model());
            write(json, "backend", r.backend());
            write(json, "deployment", r.deployment());
            json.write("attempts", r.attempts());
            json.writeStartArray("failures");
            for (FailureClass failure : r.failures()) {
                json.write(failure.name());
            }
            json.writeEnd();
            json.write("status", r.status());
            write(json, "error_code", r.errorCode());
            json.write("latency_ms", r.duration().toMillis());
            if (r.firstByte() == null) {
                json.writeNull("first_byte_ms");
            } else {
                json.write("first_byte_ms", r.firstByte().toMillis());
            }
            json.write("stream", r.stream());
            json.write("cancelled", r.cancelled());
            Usage usage = r.usage();
            if (usage != null) {
                json.write("prompt_tokens", usage.promptTokens());
                json.write("completion_tokens", usage.completionTokens());
                json.write("cached_tokens", usage.cachedTokens());
                json.write("tokens_estimated", usage.estimated());
                json.write("cost", usage.cost());
            }
            json.writeEnd();
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, String name, String value) {
        if (value == null) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }
}
