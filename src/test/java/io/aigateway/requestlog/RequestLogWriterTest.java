package io.aigateway.requestlog;

import io.aigateway.log.RequestRecord;
import io.aigateway.store.RequestLogRow;
import io.aigateway.store.StoreHealth;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer never holds a request up: a full queue drops and counts; closing writes what is queued. */
class RequestLogWriterTest {

    private static RequestRecord record(int i) {
        return new RequestRecord(Instant.parse("2026-01-01T00:00:00Z"), "team", "k1", "gpt-4o", "CHAT_COMPLETIONS",
                "a", "a/gpt-4o", 200, false, 1, List.of(), null, false, Duration.ofMillis(5), Duration.ofMillis(9),
                "req-" + i, "127.0.0.1", "/v1/chat/completions", null);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        CountDownLatch sinkEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RequestLogRow> written = new CopyOnWriteArrayList<>();
        RequestLogWriter writer = new RequestLogWriter(rows -> {
            sinkEntered.countDown();
            try {
                // A database that does not answer.
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            written.addAll(rows);
        }, 10);
        writer.onRequest(record(0));
        assertTrue(sinkEntered.await(10, TimeUnit.SECONDS));

        long start = System.nanoTime();
        for (int i = 1; i <= 1000; i++) {
            writer.onRequest(record(i));
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took < 2000, "offering never waits for the database: " + took + " ms");
        assertEquals(10, writer.depth(), "the row in the sink counts against the bound, and nine more");
        assertEquals(991, writer.dropped());

        release.countDown();
        writer.close();
        assertEquals(10, written.size(), "the row in the sink and the nine queued are written; close flushes");
        assertEquals(0, writer.depth());
        assertEquals("req-0", written.get(0).requestId());
    }

    @Test
    void closeFlushesEveryQueuedRowInBatches() {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        RequestLogWriter writer = new RequestLogWriter(rows -> batches.add(rows.size()), 5000);
        for (int i = 0; i < 1200; i++) {
            writer.onRequest(record(i));
        }
        writer.close();
        assertEquals(1200, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.stream().allMatch(size -> size <= RequestLogWriter.BATCH_SIZE));
        assertEquals(0, writer.dropped());
        writer.onRequest(record(9999));
        assertEquals(1, writer.dropped(), "a closed writer takes nothing more");
    }

    @Test
    void aFailingDatabaseCountsLostRowsAndTheWriterGoesOn() {
        List<RequestLogRow> written = new CopyOnWriteArrayList<>();
        boolean[] fail = {true};
        RequestLogWriter writer = new RequestLogWriter(rows -> {
            if (fail[0]) {
                fail[0] = false;
                throw new IllegalStateException("database down");
            }
            written.addAll(rows);
        }, 100);
        writer.onRequest(record(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.failed() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        writer.onRequest(record(2));
        writer.close();
        assertEquals(1, writer.failed());
        assertEquals(List.of("req-2"), written.stream().map(RequestLogRow::requestId).toList());
    }

    /** What Hikari throws when no connection can be had: the database is away. */
    private static RuntimeException unreachable() {
        return new org.hibernate.exception.JDBCConnectionException("Unable to acquire JDBC Connection",
                new java.sql.SQLTransientConnectionException("aigateway-store - Connection is not available"));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void anUnreachableDatabaseKeepsTheBatchAndRetriesWithBackoffWhileTheQueueFillsToItsBound() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        StoreHealth health = new StoreHealth(clock);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        List<RequestLogRow> written = new CopyOnWriteArrayList<>();
        RequestLogWriter writer = new RequestLogWriter(rows -> {
            attempts.incrementAndGet();
            if (down.get()) {
                throw unreachable();
            }
            written.addAll(rows);
        }, 10, clock, health);
        try {
            writer.onRequest(record(0));
            await(() -> writer.retries() == 1, "the first failed try");
            assertFalse(health.reachable(), "the writer reports the outage");
            assertEquals(Instant.parse("2026-01-01T00:00:01Z"), writer.retryAt(), "first pause: one second");

            for (int i = 1; i <= 20; i++) {
                writer.onRequest(record(i));
            }
            assertEquals(11, writer.dropped(), "only the rows beyond the bound are dropped");
            assertEquals(10, writer.depth(), "the batch in hand and nine queued: the bound");
            assertEquals(1, attempts.get(), "no try before the pause is over");

            clock.advance(Duration.ofSeconds(1));
            await(() -> writer.retries() == 2, "the second try");
            assertEquals(Instant.parse("2026-01-01T00:00:03Z"), writer.retryAt(), "the pause doubles");

            down.set(false);
            clock.advance(Duration.ofSeconds(2));
            await(() -> writer.written() == 10, "the queued rows written once the database is back");
            assertTrue(health.reachable(), "the writer reports the recovery");
            assertEquals(0, writer.failed(), "nothing lost to the outage");
            assertEquals(0, writer.depth());
            assertEquals(java.util.stream.IntStream.rangeClosed(0, 9).mapToObj(i -> "req-" + i).toList(),
                    written.stream().map(RequestLogRow::requestId).toList(), "in order, none twice");
            assertEquals(null, writer.retryAt());
        } finally {
            writer.close();
        }
    }

    @Test
    void rowsStillUnwrittenWhenClosingDuringAnOutageAreCountedAsFailed() {
        TestClock clock = new TestClock();
        RequestLogWriter writer = new RequestLogWriter(rows -> {
            throw unreachable();
        }, 10, clock, null);
        writer.onRequest(record(0));
        await(() -> writer.retries() == 1, "the first failed try");
        writer.onRequest(record(1));
        writer.onRequest(record(2));
        writer.close();
        assertEquals(3, writer.failed(), "one last try at close, then the rows are counted as lost");
        assertEquals(0, writer.depth());
    }
}
