package io.aigateway.requestlog;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.store.RequestLogRow;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes request log rows in batches on a thread of its own. A request only offers its row to a bounded queue:
 * when the queue is full the row is dropped and counted, and the request goes on, so a slow database never slows
 * traffic. Closing writes what is still queued.
 */
public final class RequestLogWriter implements RequestListener, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RequestLogWriter.class);
    /** Rows per insert batch: large enough to amortise a round trip, small enough to keep a transaction short. */
    static final int BATCH_SIZE = 500;
    /** How long close() waits for the queue to be written. */
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

    /** Where batches go: the store's table, in production. */
    @FunctionalInterface
    public interface Sink {
        void write(List<RequestLogRow> rows);
    }

    private final Sink sink;
    private final BlockingQueue<RequestLogRow> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder failed = new LongAdder();
    private final Thread thread;
    private volatile boolean closing;

    public RequestLogWriter(Sink sink, int capacity) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "aigateway-request-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onRequest(RequestRecord record) {
        if (closing || !queue.offer(RequestLogRow.from(record))) {
            dropped.increment();
        }
    }

    /** Rows dropped because the queue was full (or the writer closing). */
    public long dropped() {
        return dropped.sum();
    }

    /** Rows waiting to be written. */
    public int depth() {
        return queue.size();
    }

    /** Rows written so far. */
    public long written() {
        return written.get();
    }

    /** Rows lost because the database refused a batch. */
    public long failed() {
        return failed.sum();
    }

    private void run() {
        List<RequestLogRow> batch = new ArrayList<>(BATCH_SIZE);
        while (!closing || !queue.isEmpty()) {
            try {
                // A bounded wait, so that close() is noticed even when no request comes.
                RequestLogRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH_SIZE - 1);
                write(batch);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<RequestLogRow> batch) {
        try {
            sink.write(batch);
            written.addAndGet(batch.size());
        } catch (RuntimeException x) {
            failed.add(batch.size());
            LOG.warn("Request log: {} rows could not be written: {}", batch.size(), x.toString());
        }
    }

    /** Stops taking rows and writes those queued, waiting up to ten seconds. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(FLUSH_TIMEOUT.toMillis());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Request log: {} rows still queued at shutdown are lost", queue.size());
            thread.interrupt();
        }
    }

}
