package io.aigateway.bench.run;

import org.HdrHistogram.Histogram;

import io.aigateway.bench.load.StreamResult;

/** One target at one stream concurrency, summed over the interleaved rounds; times in microseconds. */
final class StreamFigures {

    final int concurrency;
    final Histogram ttfb = new Histogram(120_000_000L, 3);
    final Histogram gaps = new Histogram(120_000_000L, 3);
    long completed;
    long failed;
    long unfaithful;
    long coalesced;
    long events;
    double seconds;

    StreamFigures(int concurrency) {
        this.concurrency = concurrency;
    }

    void add(StreamResult result) {
        ttfb.add(result.ttfbMicros());
        gaps.add(result.gapMicros());
        completed += result.completed();
        failed += result.failed();
        unfaithful += result.unfaithful();
        coalesced += result.coalesced();
        events += result.events();
        seconds += result.seconds();
    }

    static long percentile(Histogram histogram, double p) {
        return histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(p);
    }

    double streamsPerSecond() {
        return seconds <= 0 ? 0 : completed / seconds;
    }
}
