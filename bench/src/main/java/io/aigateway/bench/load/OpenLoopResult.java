package io.aigateway.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one open-loop run saw. Latencies in microseconds, from each request's scheduled send time to its complete
 * response; failed requests are counted, not timed.
 *
 * @param scheduled requests the schedule called for
 * @param ok        2xx responses received in full
 * @param errors    transport failures, timeouts and non-2xx statuses
 * @param dropped   sends skipped because too many were outstanding (the target had stopped keeping up)
 * @param seconds   from the first scheduled send to the last completion
 */
public record OpenLoopResult(int rate, long scheduled, long ok, long errors, long dropped, Histogram latencyMicros,
                             double seconds) {

    /** The rate achieved: responses per second of wall time. */
    public double achievedRate() {
        return seconds <= 0 ? 0 : ok / seconds;
    }
}
