package io.aigateway.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.client.Request;

import io.aigateway.bench.mock.ChatPayloads;

/**
 * Streams opened and kept open (one slow event a second) so that a proxy's memory per open stream can be read;
 * {@link #close()} aborts them all.
 */
public final class StreamHold implements AutoCloseable {

    private static final int CHUNKS = 600;
    private static final long GAP_MS = 1_000;

    private final LoadClient client;
    private final Target target;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final byte[] body = ChatPayloads.chatRequest(true);
    private final Map<String, String> pacing = Map.of("x-mock-chunks", Integer.toString(CHUNKS),
        "x-mock-gap-ms", Long.toString(GAP_MS), "x-mock-delay-ms", "0");

    public StreamHold(LoadClient client, Target target) {
        this.client = client;
        this.target = target;
    }

    /** Opens streams until {@code total} are open (or failed), waiting up to {@code waitMs} for their first event. */
    public int openUpTo(int total, long rampMs, long waitMs) throws InterruptedException {
        int toOpen = total - requests.size();
        for (int i = 0; i < toOpen; i++) {
            Request request = client.chat(target, body, pacing, CHUNKS * GAP_MS + 60_000);
            AtomicInteger events = new AtomicInteger();
            request.onResponseContent((response, content) -> {
                if (events.getAndIncrement() == 0) {
                    started.incrementAndGet();
                }
            }).send(result -> {
                if (events.get() == 0 || (result.isFailed() && !(result.getFailure() instanceof HoldClosed))) {
                    failed.incrementAndGet();
                }
            });
            requests.add(request);
            if (rampMs > 0 && toOpen > 0) {
                TimeUnit.MICROSECONDS.sleep(rampMs * 1000 / toOpen);
            }
        }
        long until = System.nanoTime() + waitMs * 1_000_000L;
        while (started.get() + failed.get() < requests.size() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return started.get();
    }

    public int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        HoldClosed closed = new HoldClosed();
        requests.forEach(request -> request.abort(closed));
        requests.clear();
    }

    private static final class HoldClosed extends Exception {
        HoldClosed() {
            super("hold closed", null, false, false);
        }
    }
}
