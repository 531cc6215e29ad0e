package io.aigateway.bench.load;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.aigateway.bench.mock.ChatPayloads;

/**
 * {@code concurrency} streams kept open at once: each slot starts a stream, and when it ends starts the next, until
 * the run's time is up. Slots start spread over a ramp so the first second is not one burst of connections.
 */
public final class StreamRun {

    private static final long HIGHEST_MICROS = 120_000_000L;

    private final LoadClient client;

    public StreamRun(LoadClient client) {
        this.client = client;
    }

    public StreamResult run(Target target, int concurrency, int chunks, long gapMs, long durationMs, long rampMs)
        throws InterruptedException {
        Run run = new Run(target, chunks, gapMs, durationMs, concurrency);
        ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int slot = 0; slot < concurrency; slot++) {
                starter.schedule(run::startStream, rampMs * slot / concurrency, TimeUnit.MILLISECONDS);
            }
            long streamMs = (chunks + 1) * gapMs;
            if (!run.slotsDone.await(durationMs + rampMs + streamMs + 30_000, TimeUnit.MILLISECONDS)) {
                System.err.println("streams still open after the run; counted as failed: " + run.slotsDone.getCount());
                run.failed.add(run.slotsDone.getCount());
            }
        } finally {
            starter.shutdownNow();
        }
        double seconds = (System.nanoTime() - run.start) / 1e9;
        return new StreamResult(concurrency, run.completed.sum(), run.failed.sum(), run.unfaithful.sum(),
            run.coalesced.sum(), run.events.sum(), run.ttfb.copy(), run.gaps.copy(), seconds);
    }

    private final class Run {
        final Target target;
        final int chunks;
        final Map<String, String> pacing;
        final long start = System.nanoTime();
        final long deadline;
        final long timeoutMs;
        final CountDownLatch slotsDone;
        final Histogram ttfb = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final Histogram gaps = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder unfaithful = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder events = new LongAdder();
        final byte[] body = ChatPayloads.chatRequest(true);

        Run(Target target, int chunks, long gapMs, long durationMs, int concurrency) {
            this.target = target;
            this.chunks = chunks;
            this.pacing = Map.of("x-mock-chunks", Integer.toString(chunks), "x-mock-gap-ms", Long.toString(gapMs),
                "x-mock-delay-ms", "0");
            this.deadline = start + durationMs * 1_000_000L;
            this.timeoutMs = (chunks + 1) * gapMs + 30_000;
            this.slotsDone = new CountDownLatch(concurrency);
        }

        void startStream() {
            if (System.nanoTime() >= deadline) {
                slotsDone.countDown();
                return;
            }
            SseReader reader = new SseReader(chunks);
            long sent = System.nanoTime();
            long[] last = {sent};
            client.chat(target, body, pacing, timeoutMs)
                .onResponseContent((response, content) -> reader.onBytes(content, System.nanoTime(), (index, nanos) -> {
                    if (index == 0) {
                        ttfb.recordValue(Math.min(HIGHEST_MICROS, (nanos - sent) / 1000));
                    } else {
                        gaps.recordValue(Math.min(HIGHEST_MICROS, (nanos - last[0]) / 1000));
                    }
                    last[0] = nanos;
                }))
                .send(result -> {
                    events.add(reader.eventsSeen());
                    coalesced.add(reader.coalesced());
                    if (result.isFailed() || result.getResponse().getStatus() / 100 != 2) {
                        failed.increment();
                    } else if (!reader.complete()) {
                        unfaithful.increment();
                    } else {
                        completed.increment();
                    }
                    startStream();
                });
        }
    }
}
