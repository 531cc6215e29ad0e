package io.aigateway.requestlog;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.store.RequestLogRow;
import io.aigateway.store.StoreHealth;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes request log rows in batches on a thread of its own. A request only offers its row to a bounded queue (the
 * bound counts the batch being written too): when the queue is full the row is dropped and counted, and the request
 * goes on, so a slow database never slows traffic. A batch that fails because the database cannot be reached is
 * kept and tried again with a growing pause (timed by the gateway's clock) while the queue goes on taking rows up to
 * its bound; a batch the database refuses (a bad row) is counted as failed and dropped, since trying it again would
 * fail again. Closing writes what is still queued.
 */
public final class RequestLogWriter implements RequestListener, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RequestLogWriter.class);
    /** Rows per insert batch: large enough to amortise a round trip, small enough to keep a transaction short. */
    static final int BATCH_SIZE = 500;
    /** How long close() waits for the queue to be written. */
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);
    /** The first pause after the database could not be reached; it doubles up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** The longest pause between two tries: an outage ends at most this long before the rows are written. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /**
     * How long, in real time, a row may wait for others to join its batch. A wake-up and a transaction per row would
     * cost the gateway's cores more than the rows themselves.
     */
    static final long LINGER_MILLIS = 50;
    /** How often, in real time, the thread looks at the clock while it pauses. */
    private static final long PAUSE_CHECK_MILLIS = 50;

    /** Where batches go: the store's table, in production. */
    @FunctionalInterface
    public interface Sink {
        void write(List<RequestLogRow> rows);
    }

    private final Sink sink;
    private final Clock clock;
    private final StoreHealth health;
    private final BlockingQueue<RequestLogRow> queue = new LinkedBlockingQueue<>();
    /** The bound: rows taken and not yet written or given up, the batch in hand included. */
    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Thread thread;
    private volatile boolean closing;
    /** When the batch in hand is tried again; null while the database answers. */
    private volatile Instant retryAt;
    private Duration backoff = FIRST_BACKOFF;

    /** A writer with the system clock and no health to report to (tests of the queue alone). */
    public RequestLogWriter(Sink sink, int capacity) {
        this(sink, capacity, Clock.systemUTC(), null);
    }

    /**
     * @param clock  times the pauses between tries
     * @param health told of every write's outcome; may be null
     */
    public RequestLogWriter(Sink sink, int capacity, Clock clock, StoreHealth health) {
        this.sink = sink;
        this.clock = clock;
        this.health = health;
        this.capacity = capacity;
        this.thread = new Thread(this::run, "aigateway-request-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onRequest(RequestRecord record) {
        if (closing || pending.incrementAndGet() > capacity) {
            if (!closing) {
                pending.decrementAndGet();
            }
            dropped.increment();
            return;
        }
        queue.add(RequestLogRow.from(record));
    }

    /** Rows dropped because the queue was full (or the writer closing). */
    public long dropped() {
        return dropped.sum();
    }

    /** Rows waiting to be written: those queued and the batch in hand (never more than the capacity). */
    public int depth() {
        return pending.get();
    }

    /** Rows written so far. */
    public long written() {
        return written.get();
    }

    /** Rows lost because the database refused their batch, or because it was still away at shutdown. */
    public long failed() {
        return failed.sum();
    }

    /** Batches tried again after the database could not be reached. */
    public long retries() {
        return retries.sum();
    }

    /** When the batch in hand is tried again, while the database is away; null otherwise. */
    public Instant retryAt() {
        return retryAt;
    }

    private void run() {
        List<RequestLogRow> batch = new ArrayList<>(BATCH_SIZE);
        try {
            while (true) {
                if (batch.isEmpty()) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    // A bounded wait, so that close() is noticed even when no request comes.
                    RequestLogRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    if (!closing && queue.size() < BATCH_SIZE - 1) {
                        // Let a batch gather: otherwise, under steady traffic, every row wakes this thread on its own.
                        Thread.sleep(LINGER_MILLIS);
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH_SIZE - 1);
                }
                Instant due = retryAt;
                if (due != null && !closing && clock.instant().isBefore(due)) {
                    Thread.sleep(PAUSE_CHECK_MILLIS);
                    continue;
                }
                if (write(batch)) {
                    pending.addAndGet(-batch.size());
                    batch.clear();
                } else if (closing) {
                    int lost = batch.size() + queue.size();
                    failed.add(lost);
                    queue.clear();
                    pending.addAndGet(-lost);
                    LOG.error("Request log: the database is still unreachable at shutdown; {} rows are lost", lost);
                    return;
                }
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes one batch; returns false when it is kept for another try (the database could not be reached). */
    private boolean write(List<RequestLogRow> batch) {
        try {
            sink.write(batch);
            written.addAndGet(batch.size());
            if (retryAt != null) {
                LOG.info("Request log: the database is back; writing the {} queued rows", batch.size() + queue.size());
            }
            retryAt = null;
            backoff = FIRST_BACKOFF;
            if (health != null) {
                health.succeeded();
            }
            return true;
        } catch (RuntimeException x) {
            boolean unreachable = health != null ? health.failed(x) : StoreHealth.unreachable(x);
            if (unreachable) {
                if (retryAt == null) {
                    LOG.warn("Request log: the database is unreachable; rows are queued (up to the queue bound) and"
                            + " written when it is back: {}", x.toString());
                }
                retries.increment();
                retryAt = clock.instant().plus(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                return false;
            }
            failed.add(batch.size());
            LOG.warn("Request log: {} rows could not be written: {}", batch.size(), x.toString());
            return true;
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
