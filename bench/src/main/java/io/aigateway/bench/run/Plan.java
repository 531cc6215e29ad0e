package io.aigateway.bench.run;

import java.util.List;

/**
 * How long and how often each stage runs. {@link #quick()} proves the whole run works in under three minutes on a
 * busy machine; {@link #full()} is the one whose numbers are published, on a quiet machine.
 *
 * @param name             {@code quick} or {@code full}
 * @param warmupMs         the gateway's warm-up at the least, even if its JIT compiler looks done sooner
 * @param maxWarmupMs      the gateway's warm-up at the most, if its JIT compiler is still busy (on one core it needs minutes)
 * @param peakMs           length of one closed-loop peak run per target
 * @param rounds           interleaved rounds of every measured stage (direct, nginx, gateway in rotating order)
 * @param rateMs           length of one fixed-rate run per target and round
 * @param ladder           the fixed rates tried besides 500, 2,000 and half of nginx's peak, in req/s
 * @param streamMs         length of one streaming run per target, concurrency and round
 * @param streamChunks     content chunks per stream
 * @param streamGapMs      the mock's gap between events
 * @param memorySteps      open streams at which resident memory is read
 * @param soakMs           the heap-growth run at half of the gateway's peak (0: none)
 */
record Plan(String name, long warmupMs, long maxWarmupMs, long peakMs, int rounds, long rateMs, List<Integer> ladder, long streamMs,
            int streamChunks, long streamGapMs, List<Integer> memorySteps, long soakMs) {

    static final int PEAK_CONNECTIONS = 64;
    static final List<Integer> STREAM_CONCURRENCY = List.of(200, 1000);

    static Plan quick() {
        return new Plan("quick", 20_000, 40_000, 4_000, 1, 2_500, List.of(4000), 3_000, 10, 20,
            List.of(500, 2000), 0);
    }

    static Plan full() {
        return new Plan("full", 60_000, 300_000, 10_000, 3, 10_000, List.of(1000, 4000, 8000, 12000, 16000, 24000, 32000),
            15_000, 20, 20, List.of(250, 500, 1000, 2000), 600_000);
    }
}
