package io.aigateway.bench.run;

import org.HdrHistogram.Histogram;

import io.aigateway.bench.load.OpenLoopResult;
import io.aigateway.bench.proc.ProcessFigures;

/** One target at one fixed rate, summed over the interleaved rounds; latencies in microseconds. */
final class RateFigures {

    final int rate;
    final Histogram latency = new Histogram(120_000_000L, 3);
    long scheduled;
    long ok;
    long errors;
    long dropped;
    long cpuTicks;
    double seconds;

    RateFigures(int rate) {
        this.rate = rate;
    }

    void add(OpenLoopResult result, long ticks) {
        latency.add(result.latencyMicros());
        scheduled += result.scheduled();
        ok += result.ok();
        errors += result.errors();
        dropped += result.dropped();
        cpuTicks += ticks;
        seconds += result.seconds();
    }

    long percentile(double p) {
        return latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(p);
    }

    /** CPU time of the server process per answered request, in microseconds. */
    double cpuMicrosPerRequest() {
        return ok == 0 ? -1 : cpuTicks * (1_000_000.0 / ProcessFigures.TICKS_PER_SECOND) / ok;
    }

    /** Whether every scheduled request was answered with a 2xx. */
    boolean clean() {
        return errors == 0 && dropped == 0 && ok == scheduled;
    }
}
