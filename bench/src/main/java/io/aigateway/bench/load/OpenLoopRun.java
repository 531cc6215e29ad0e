package io.aigateway.bench.load;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.aigateway.bench.mock.ChatPayloads;

/**
 * Non-stream chat at a fixed arrival rate. Request {@code i} is due at {@code start + i / rate}; it is sent then
 * whether or not earlier ones have answered, and its latency counts from that due time, so a stalled target or a
 * late sender shows as latency instead of as a quietly lower rate (no coordinated omission).
 */
public final class OpenLoopRun {

    private static final long HIGHEST_MICROS = 120_000_000L;
    private static final long START_DELAY_NANOS = 20_000_000L;
    private static final int MAX_OUTSTANDING = 50_000;

    private final LoadClient client;

    public OpenLoopRun(LoadClient client) {
        this.client = client;
    }

    /** Runs {@code rate} requests per second for {@code durationMs}, then waits up to {@code drainMs} for answers. */
    public OpenLoopResult run(Target target, int rate, long durationMs, long drainMs) throws InterruptedException {
        byte[] body = ChatPayloads.chatRequest(false);
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong outstanding = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong();
        long dropped = 0;
        long total = rate * durationMs / 1000;
        long start = System.nanoTime() + START_DELAY_NANOS;
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (outstanding.get() >= MAX_OUTSTANDING) {
                dropped++;
                continue;
            }
            outstanding.incrementAndGet();
            client.chat(target, body, Map.of(), durationMs + drainMs).send(result -> {
                long now = System.nanoTime();
                if (result.isSucceeded() && result.getResponse().getStatus() / 100 == 2) {
                    latency.recordValue(Math.min(HIGHEST_MICROS, (now - due) / 1000));
                    ok.increment();
                } else {
                    errors.increment();
                }
                lastCompletion.accumulateAndGet(now, Math::max);
                outstanding.decrementAndGet();
            });
        }
        long drainUntil = System.nanoTime() + drainMs * 1_000_000L;
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(5);
        }
        long unanswered = outstanding.get();
        double seconds = (Math.max(lastCompletion.get(), start) - start) / 1e9;
        return new OpenLoopResult(rate, total, ok.sum(), errors.sum() + unanswered, dropped, latency.copy(), seconds);
    }
}
