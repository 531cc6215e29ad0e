package io.aigateway.bench.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything a run measured, by stage and target; {@link Report} turns it into Markdown and JSON. */
final class Results {

    static final String DIRECT = "direct";
    static final String NGINX = "nginx";
    static final String GATEWAY = "gateway";
    static final List<String> TARGETS = List.of(DIRECT, NGINX, GATEWAY);

    /** Memory while streams are held open: resident KiB with none open and at each step. */
    static final class Memory {
        long rssAtZeroKib;
        long heapAtZeroKib = -1;
        final Map<Integer, Long> rssKib = new TreeMap<>();
        final Map<Integer, Integer> open = new TreeMap<>();
        final Map<Integer, Integer> failed = new TreeMap<>();
        long heapAtMaxKib = -1;

        double heapPerStreamKib(int n) {
            return heapAtMaxKib < 0 || heapAtZeroKib < 0 || n == 0 ? -1 : (heapAtMaxKib - heapAtZeroKib) / (double) n;
        }

        double perStreamKib(int n) {
            Long rss = rssKib.get(n);
            return rss == null || n == 0 ? -1 : (rss - rssAtZeroKib) / (double) n;
        }
    }

    /** Heap after a full GC, sampled through the soak run. */
    static final class Soak {
        int rate;
        final List<double[]> heapSamples = new ArrayList<>(); // {minutes since start, heap KiB after GC}
        RateFigures figures;

        /** Least-squares slope of heap after GC, KiB per minute. */
        double slopeKibPerMinute() {
            int n = heapSamples.size();
            if (n < 2) {
                return Double.NaN;
            }
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (double[] s : heapSamples) {
                sx += s[0];
                sy += s[1];
                sxx += s[0] * s[0];
                sxy += s[0] * s[1];
            }
            return (n * sxy - sx * sy) / (n * sxx - sx * sx);
        }
    }

    final Map<String, Object> meta = new LinkedHashMap<>();
    final Map<String, Double> peak = new LinkedHashMap<>();
    final Map<String, Long> peakErrors = new LinkedHashMap<>();
    final Map<Integer, Map<String, RateFigures>> rates = new TreeMap<>();
    final Map<Integer, Map<String, StreamFigures>> streams = new TreeMap<>();
    final Map<String, Memory> memory = new LinkedHashMap<>();
    final Map<String, Long> idleRssKib = new LinkedHashMap<>();
    long gatewayIdleHeapKib = -1;
    long gatewayRssAfterRunKib = -1;
    long gatewayHeapAfterRunKib = -1;
    int halfNginxPeak;
    Soak soak;
    final List<String> problems = new ArrayList<>();

    RateFigures rate(int rate, String target) {
        return rates.computeIfAbsent(rate, r -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new RateFigures(rate));
    }

    StreamFigures stream(int concurrency, String target) {
        return streams.computeIfAbsent(concurrency, c -> new LinkedHashMap<>())
            .computeIfAbsent(target, t -> new StreamFigures(concurrency));
    }

    /** p(target) − p(direct) at a rate, in µs, or null when either was not measured. */
    Long added(int rate, String target, double percentile) {
        Map<String, RateFigures> atRate = rates.get(rate);
        if (atRate == null || !atRate.containsKey(target) || !atRate.containsKey(DIRECT)) {
            return null;
        }
        long value = atRate.get(target).percentile(percentile);
        long direct = atRate.get(DIRECT).percentile(percentile);
        return value < 0 || direct < 0 ? null : value - direct;
    }

    /**
     * The highest rate at which the target answered everything with added p99 under the limit, every lower rate
     * included; 0 when even the lowest failed.
     */
    int highestRateUnder(String target, long limitMicros) {
        int best = 0;
        for (int rate : rates.keySet()) {
            Long added = added(rate, target, 99);
            RateFigures figures = rates.get(rate).get(target);
            if (added == null || figures == null || !figures.clean() || added >= limitMicros) {
                break;
            }
            best = rate;
        }
        return best;
    }
}
