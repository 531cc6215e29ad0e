package io.aigateway.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Paces one streamed reply event by event: the fake backend writes and flushes event {@code i},
 * marks it {@linkplain #awaitSent(int) sent}, and writes event {@code i + 1} only once the test has
 * {@linkplain #release(int) released} {@code i}. The last event is followed by the end of the
 * stream without waiting. Nothing blocks while waiting: the next write is a continuation of the
 * release, run on the fake's thread pool.
 *
 * <p>A gate paces a single stream; give each gated reply its own gate.
 */
public final class StreamGate {

    private static final long AWAIT_SECONDS = 10;

    private final Map<Integer, CompletableFuture<Void>> released = new HashMap<>();
    private final Map<Integer, CompletableFuture<Void>> sent = new HashMap<>();
    private boolean releaseAll;

    /** Lets the event after event {@code i} be written. */
    public synchronized void release(int i) {
        releasedFuture(i).complete(null);
    }

    /** Releases the lowest event not released yet; returns its index. */
    public synchronized int releaseNext() {
        int i = 0;
        while (releasedFuture(i).isDone()) {
            i++;
        }
        release(i);
        return i;
    }

    /** Opens the gate for good: the rest of the stream is written without pausing. */
    public synchronized void releaseAll() {
        releaseAll = true;
        released.values().forEach(f -> f.complete(null));
    }

    /** Blocks until the backend has flushed event {@code i}; fails after 10 seconds. */
    public void awaitSent(int i) {
        CompletableFuture<Void> future;
        synchronized (this) {
            future = sentFuture(i);
        }
        try {
            future.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("event " + i + " was not sent within " + AWAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for event " + i, e);
        } catch (ExecutionException e) {
            throw new AssertionError("event " + i + " will never be sent", e.getCause());
        }
    }

    /** Whether event {@code i} has been flushed, without waiting. */
    public synchronized boolean isSent(int i) {
        return sentFuture(i).isDone();
    }

    /** How many events have been flushed so far. */
    public synchronized int sentCount() {
        int n = 0;
        while (sent.containsKey(n) && sent.get(n).isDone()) {
            n++;
        }
        return n;
    }

    synchronized void markSent(int i) {
        sentFuture(i).complete(null);
    }

    synchronized CompletableFuture<Void> releaseOf(int i) {
        return releasedFuture(i);
    }

    private CompletableFuture<Void> releasedFuture(int i) {
        return released.computeIfAbsent(i, k -> releaseAll
                ? CompletableFuture.completedFuture(null)
                : new CompletableFuture<>());
    }

    private CompletableFuture<Void> sentFuture(int i) {
        return sent.computeIfAbsent(i, k -> new CompletableFuture<>());
    }
}
