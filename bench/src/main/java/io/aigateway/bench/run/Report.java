package io.aigateway.bench.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's results as a Markdown report and as JSON: a summary of gateway against nginx (ratios, and the targets
 * of issue 7), then every figure per stage and target. Latencies are shown in ms, kept in µs in JSON.
 */
final class Report {

    private static final String D = Results.DIRECT;
    private static final String N = Results.NGINX;
    private static final String G = Results.GATEWAY;
    private static final int SUMMARY_RATE = 2000;
    private static final int SUMMARY_STREAMS = 200;

    private final Results r;
    private final Plan plan;
    private final Map<String, Object> summary = new LinkedHashMap<>();

    Report(Results results, Plan plan) {
        this.r = results;
        this.plan = plan;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Gateway benchmark: ").append(plan.name()).append(" run, ").append(r.meta.get("date")).append("\n\n");
        md.append("Machine: ").append(r.meta.get("cpu_model")).append(", ").append(r.meta.get("cpus")).append(", ")
            .append(r.meta.get("memory")).append(", Linux ").append(r.meta.get("kernel")).append(". ")
            .append(r.meta.get("java")).append("; ").append(r.meta.get("nginx")).append("; ").append(r.meta.get("wrk"))
            .append(".  \nPinning: ").append(r.meta.get("pinning")).append(". Gateway JVM flags: `")
            .append(r.meta.get("gateway_jvm_flags")).append("`. Load average before/after: ")
            .append(r.meta.get("load_average_before")).append(" / ").append(r.meta.get("load_average_after"))
            .append(". Gateway warm-up: ").append(r.meta.get("gateway_warmup_seconds"))
            .append(" s, until its JIT compiler was done (").append(r.meta.get("gateway_jit_compilations_after_warmup"))
            .append(" methods compiled).\n\n");
        if (!"".equals(r.meta.get("note"))) {
            md.append("> ").append(r.meta.get("note")).append("\n\n");
        }
        md.append("Gateway config: two `openai` backends (two ports of the mock), one tenant key, weighted round robin, "
            + "and everything a production gateway runs per request: tenant rate limits and a quota (counting, never "
            + "refusing), usage accounting with a price, the request log's JSON line, and the request log written to ")
            .append("h2".equals(r.meta.get("request_log_store"))
                ? "the embedded H2 store, in the gateway's own process and core"
                : "a MariaDB server of the run's own, on the load CPU (standing for another machine, as in production)")
            .append(".\n\n");
        summaryTable(md);
        rateTable(md);
        streamTable(md);
        memoryTable(md);
        if (!r.problems.isEmpty()) {
            md.append("\n## Problems seen\n\n");
            r.problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        return md.toString();
    }

    private void summaryTable(StringBuilder md) {
        md.append("## Summary (gateway against nginx, same run)\n\n");
        if (!r.problems.isEmpty()) {
            md.append("**Unsteady run:** the direct reference itself was disturbed in ").append(r.problems.size())
                .append(" stage(s) (see \"Problems seen\"), so \"met\" below is not a verdict for this run.\n\n");
        }
        md.append("| Metric | direct | nginx | gateway | gateway vs nginx | target | met |\n|---|---:|---:|---:|---:|---|---|\n");
        double pd = r.peak.getOrDefault(D, 0.0), pn = r.peak.getOrDefault(N, 0.0), pg = r.peak.getOrDefault(G, 0.0);
        row(md, "peak_rps", "Peak req/s, non-stream (wrk, " + Plan.PEAK_CONNECTIONS + " connections)", num(pd), num(pn),
            num(pg), ratio(pg, pn), "≥ 0.6×", pn > 0 ? pg / pn >= 0.6 : null, Map.of(D, pd, N, pn, G, pg));
        Long an50 = r.added(SUMMARY_RATE, N, 50), ag50 = r.added(SUMMARY_RATE, G, 50);
        Long an99 = r.added(SUMMARY_RATE, N, 99), ag99 = r.added(SUMMARY_RATE, G, 99);
        Long an999 = r.added(SUMMARY_RATE, N, 99.9), ag999 = r.added(SUMMARY_RATE, G, 99.9);
        row(md, "added_p50_us_at_2000", "Added p50 at 2,000 req/s", "p50 " + ms(abs(SUMMARY_RATE, D, 50)), ms(an50), ms(ag50),
            an50 == null || ag50 == null ? "–" : ratio(ag50, an50), "≤ 3× nginx",
            an50 == null || ag50 == null ? null : ag50 <= 3 * Math.max(an50, 1), pair(an50, ag50));
        row(md, "added_p99_us_at_2000", "Added p99 at 2,000 req/s", "p99 " + ms(abs(SUMMARY_RATE, D, 99)), ms(an99), ms(ag99),
            diff(ag99, an99), "within 1 ms of nginx", an99 == null || ag99 == null ? null : ag99 - an99 <= 1000, pair(an99, ag99));
        row(md, "added_p999_us_at_2000", "Added p99.9 at 2,000 req/s", "p99.9 " + ms(abs(SUMMARY_RATE, D, 99.9)), ms(an999),
            ms(ag999), diff(ag999, an999), "", null, pair(an999, ag999));
        int half = r.halfNginxPeak;
        Long hn50 = r.added(half, N, 50), hg50 = r.added(half, G, 50), hn99 = r.added(half, N, 99), hg99 = r.added(half, G, 99);
        row(md, "added_p50_us_at_half_nginx_peak", "Added p50 at half nginx's peak (" + num(half) + " req/s)",
            "p50 " + ms(abs(half, D, 50)), ms(hn50), ms(hg50), hn50 == null || hg50 == null ? "–" : ratio(hg50, hn50), "", null,
            pair(hn50, hg50));
        row(md, "added_p99_us_at_half_nginx_peak", "Added p99 at half nginx's peak (" + num(half) + " req/s)",
            "p99 " + ms(abs(half, D, 99)), ms(hn99), ms(hg99), diff(hg99, hn99), "", null, pair(hn99, hg99));
        int n1 = r.highestRateUnder(N, 1_000), g1 = r.highestRateUnder(G, 1_000);
        int n10 = r.highestRateUnder(N, 10_000), g10 = r.highestRateUnder(G, 10_000);
        row(md, "highest_rate_added_p99_under_1ms", "Highest rate tried with added p99 < 1 ms (req/s)", "–", num(n1), num(g1),
            ratio(g1, n1), "", null, Map.of(N, n1, G, g1));
        row(md, "highest_rate_added_p99_under_10ms", "Highest rate tried with added p99 < 10 ms (req/s)", "–", num(n10),
            num(g10), ratio(g10, n10), "", null, Map.of(N, n10, G, g10));
        double cd = cpu(SUMMARY_RATE, D), cn = cpu(SUMMARY_RATE, N), cg = cpu(SUMMARY_RATE, G);
        row(md, "cpu_us_per_request_at_2000", "CPU per request at 2,000 req/s (µs; direct = the mock)", num1(cd), num1(cn),
            num1(cg), ratio(cg, cn), "≤ 3×", cn > 0 ? cg <= 3 * cn : null, Map.of(D, cd, N, cn, G, cg));
        for (int c : Plan.STREAM_CONCURRENCY) {
            streamSummary(md, c);
        }
        Results.Memory mn = r.memory.get(N), mg = r.memory.get(G);
        int maxN = plan.memorySteps().get(plan.memorySteps().size() - 1);
        double kn = mn == null ? -1 : mn.perStreamKib(maxN), kg = mg == null ? -1 : mg.perStreamKib(maxN);
        row(md, "memory_kib_per_stream", "Memory per open stream at " + num(maxN) + " (KiB, ΔRSS/N)", "–", num1(kn), num1(kg),
            ratio(kg, kn), "≤ 64 KiB", kg >= 0 ? kg <= 64 : null, Map.of(N, kn, G, kg));
        double hg = mg == null ? -1 : mg.heapPerStreamKib(maxN);
        row(md, "gateway_heap_kib_per_stream", "Gateway heap per open stream at " + num(maxN) + " (KiB, Δheap after GC / N)",
            "–", "–", num1(hg), "", "", null, Map.of(G, hg));
        boolean noFailures = mg != null && mg.open.getOrDefault(maxN, 0) == maxN && mg.failed.getOrDefault(maxN, 1) == 0;
        row(md, "streams_2000_open_without_errors", num(maxN) + " streams open at once (gateway with `"
                + r.meta.get("gateway_jvm_flags") + "`)", "–",
            mn == null ? "–" : mn.open.get(maxN) + " open, " + mn.failed.get(maxN) + " failed",
            mg == null ? "–" : mg.open.get(maxN) + " open, " + mg.failed.get(maxN) + " failed", "", "no errors",
            mg == null ? null : noFailures, null);
        long rn = r.idleRssKib.getOrDefault(N, -1L), rg = r.idleRssKib.getOrDefault(G, -1L);
        row(md, "idle_rss_kib", "Idle RSS at start (MiB)", "–", mib(rn), mib(rg), ratio(rg, rn), "", null, Map.of(N, rn, G, rg));
        row(md, "gateway_heap_kib", "Gateway heap used: idle at start / after the run (MiB)", "–", "–",
            mib(r.gatewayIdleHeapKib) + " / " + mib(r.gatewayHeapAfterRunKib), "", "", null,
            Map.of("idle", r.gatewayIdleHeapKib, "after_run", r.gatewayHeapAfterRunKib, "rss_after_run", r.gatewayRssAfterRunKib));
        if (r.soak != null) {
            double slope = r.soak.slopeKibPerMinute();
            row(md, "soak_heap_slope_kib_per_min", "Heap after GC, slope over " + plan.soakMs() / 60_000 + " min at "
                + num(r.soak.rate) + " req/s (KiB/min)", "–", "–", num1(slope), "", "no steady growth", null,
                Map.of("rate", r.soak.rate, "slope_kib_per_min", slope, "p99_us", r.soak.figures.percentile(99),
                    "errors", r.soak.figures.errors));
        } else {
            md.append("| Heap growth over 10 min at half peak | | | not run (`--quick`) | | no steady growth | |\n");
        }
        md.append("| Gateway log: ERROR / WARN / exception lines | | | ").append(r.meta.get("gateway_log_errors")).append(" / ")
            .append(r.meta.get("gateway_log_warnings")).append(" / ").append(r.meta.get("gateway_log_exception_lines"))
            .append(" | | none | |\n");
        md.append("\n\"Added\" = the target's percentile minus direct's in the same run. A negative value is noise.\n");
    }

    private void streamSummary(StringBuilder md, int c) {
        Map<String, StreamFigures> s = r.streams.get(c);
        if (s == null) {
            return;
        }
        StreamFigures d = s.get(D), n = s.get(N), g = s.get(G);
        long td = p(d.ttfb, 50), tn = p(n.ttfb, 50) - td, tg = p(g.ttfb, 50) - td;
        row(md, "streams_" + c + "_added_ttfb_p50_us", c + " streams: added TTFB p50", "TTFB " + ms(td), ms(tn), ms(tg),
            diff(tg, tn), c == SUMMARY_STREAMS ? "within 1 ms of nginx" : "", c == SUMMARY_STREAMS ? (Boolean) (tg - tn <= 1000) : null,
            pair(tn, tg));
        long gd = p(d.gaps, 99), gn = p(n.gaps, 99) - gd, gg = p(g.gaps, 99) - gd;
        row(md, "streams_" + c + "_added_gap_p99_us", c + " streams: added chunk-gap p99", "gap p99 " + ms(gd), ms(gn), ms(gg),
            diff(gg, gn), c == SUMMARY_STREAMS ? "within 1 ms of direct" : "", c == SUMMARY_STREAMS ? (Boolean) (gg <= 1000) : null,
            pair(gn, gg));
        double sd = d.streamsPerSecond(), sn = n.streamsPerSecond(), sg = g.streamsPerSecond();
        row(md, "streams_" + c + "_per_second", c + " streams: completed streams/s", num(sd), num(sn), num(sg), ratio(sg, sn),
            c == SUMMARY_STREAMS ? "≥ 0.9×" : "", c == SUMMARY_STREAMS && sn > 0 ? (Boolean) (sg >= 0.9 * sn) : null,
            Map.of(D, sd, N, sn, G, sg));
        row(md, "streams_" + c + "_fidelity", c + " streams: failed / altered / coalesced", fidelity(d), fidelity(n),
            fidelity(g), "", c == SUMMARY_STREAMS ? "every chunk, separately, unchanged" : "",
            c == SUMMARY_STREAMS ? (Boolean) (g.failed == 0 && g.unfaithful == 0 && g.coalesced == 0) : null,
            Map.of(D, fidelityMap(d), N, fidelityMap(n), G, fidelityMap(g)));
    }

    private void rateTable(StringBuilder md) {
        md.append("\n## Fixed rates (open loop, latency from the scheduled send time, ms)\n\n");
        md.append("| Rate (req/s) | Target | p50 | p99 | p99.9 | max | added p50 | added p99 | added p99.9 | answered / scheduled | errors | CPU µs/req |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        r.rates.forEach((rate, byTarget) -> byTarget.forEach((name, f) -> md.append("| ").append(num(rate)).append(" | ")
            .append(name).append(" | ").append(ms(f.percentile(50))).append(" | ").append(ms(f.percentile(99))).append(" | ")
            .append(ms(f.percentile(99.9))).append(" | ").append(ms(f.latency.getTotalCount() == 0 ? -1 : f.latency.getMaxValue()))
            .append(" | ").append(D.equals(name) ? "–" : ms(r.added(rate, name, 50))).append(" | ")
            .append(D.equals(name) ? "–" : ms(r.added(rate, name, 99))).append(" | ")
            .append(D.equals(name) ? "–" : ms(r.added(rate, name, 99.9))).append(" | ").append(num(f.ok)).append(" / ")
            .append(num(f.scheduled)).append(" | ").append(f.errors + f.dropped).append(" | ")
            .append(num1(f.cpuMicrosPerRequest())).append(" |\n")));
    }

    private void streamTable(StringBuilder md) {
        md.append("\n## Streams (SSE; each ").append(plan.streamChunks()).append(" content chunks and [DONE], ")
            .append(plan.streamGapMs()).append(" ms apart; ms)\n\n");
        md.append("| Streams | Target | TTFB p50 | TTFB p99 | added TTFB p50 | added TTFB p99 | gap p50 | gap p99 | gap p99.9 | added gap p99 | streams/s | failed | altered | coalesced |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        r.streams.forEach((c, byTarget) -> {
            StreamFigures d = byTarget.get(D);
            byTarget.forEach((name, f) -> {
                boolean direct = D.equals(name);
                md.append("| ").append(num(c)).append(" | ").append(name).append(" | ").append(ms(p(f.ttfb, 50))).append(" | ")
                    .append(ms(p(f.ttfb, 99))).append(" | ").append(direct ? "–" : ms(p(f.ttfb, 50) - p(d.ttfb, 50))).append(" | ")
                    .append(direct ? "–" : ms(p(f.ttfb, 99) - p(d.ttfb, 99))).append(" | ").append(ms(p(f.gaps, 50))).append(" | ")
                    .append(ms(p(f.gaps, 99))).append(" | ").append(ms(p(f.gaps, 99.9))).append(" | ")
                    .append(direct ? "–" : ms(p(f.gaps, 99) - p(d.gaps, 99))).append(" | ").append(num(f.streamsPerSecond()))
                    .append(" | ").append(f.failed).append(" | ").append(f.unfaithful).append(" | ").append(f.coalesced).append(" |\n");
            });
        });
    }

    private static final String COALESCED_NOTE = "\nTTFB counts from sending the request to the first content event. "
        + "Altered = a stream whose events were not exactly the mock's, in order. Coalesced = events that arrived inside "
        + "one HTTP chunk together with the event before, i.e. something in the path gathered separate writes (the mock "
        + "writes each event alone, a gap apart). A gap p50 near 0 means the client received events in bursts: the load "
        + "CPU or the proxy was behind.\n";

    private void memoryTable(StringBuilder md) {
        md.append(COALESCED_NOTE);
        md.append("\n## Memory with streams held open (RSS; ΔRSS / N per stream)\n\n| Target | RSS at 0 |");
        plan.memorySteps().forEach(n -> md.append(" N = ").append(num(n)).append(" |"));
        md.append("\n|---|---:|");
        plan.memorySteps().forEach(n -> md.append("---:|"));
        md.append('\n');
        r.memory.forEach((name, m) -> {
            md.append("| ").append(name).append(" | ").append(mib(m.rssAtZeroKib)).append(" MiB |");
            plan.memorySteps().forEach(n -> md.append(' ').append(mib(m.rssKib.getOrDefault(n, -1L))).append(" MiB, ")
                .append(num1(m.perStreamKib(n))).append(" KiB/stream (").append(m.open.getOrDefault(n, 0)).append(" open) |"));
            md.append('\n');
        });
        Results.Memory g = r.memory.get(G);
        if (g != null && g.heapAtMaxKib >= 0) {
            int maxN = plan.memorySteps().get(plan.memorySteps().size() - 1);
            md.append("\nGateway heap after a full GC: ").append(mib(g.heapAtZeroKib)).append(" MiB with no stream open, ")
                .append(mib(g.heapAtMaxKib)).append(" MiB with ").append(num(maxN)).append(" open. Both processes were "
                    + "restarted for this stage and given a short warm-up before the baseline.\n");
        }
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("meta", r.meta);
        if (summary.isEmpty()) {
            markdown(); // fills the summary
        }
        root.put("summary", summary);
        List<Object> rates = new ArrayList<>();
        r.rates.forEach((rate, byTarget) -> byTarget.forEach((name, f) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate", rate);
            m.put("target", name);
            m.put("p50_us", f.percentile(50));
            m.put("p99_us", f.percentile(99));
            m.put("p999_us", f.percentile(99.9));
            m.put("max_us", f.latency.getTotalCount() == 0 ? -1 : f.latency.getMaxValue());
            m.put("added_p50_us", r.added(rate, name, 50));
            m.put("added_p99_us", r.added(rate, name, 99));
            m.put("added_p999_us", r.added(rate, name, 99.9));
            m.put("scheduled", f.scheduled);
            m.put("answered", f.ok);
            m.put("errors", f.errors);
            m.put("dropped", f.dropped);
            m.put("cpu_us_per_request", f.cpuMicrosPerRequest());
            rates.add(m);
        }));
        root.put("fixed_rates", rates);
        List<Object> streams = new ArrayList<>();
        r.streams.forEach((c, byTarget) -> byTarget.forEach((name, f) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("concurrency", c);
            m.put("target", name);
            m.put("ttfb_p50_us", p(f.ttfb, 50));
            m.put("ttfb_p99_us", p(f.ttfb, 99));
            m.put("gap_p50_us", p(f.gaps, 50));
            m.put("gap_p99_us", p(f.gaps, 99));
            m.put("gap_p999_us", p(f.gaps, 99.9));
            m.put("streams_per_second", f.streamsPerSecond());
            m.put("completed", f.completed);
            m.put("failed", f.failed);
            m.put("altered", f.unfaithful);
            m.put("coalesced", f.coalesced);
            m.put("events", f.events);
            streams.add(m);
        }));
        root.put("streams", streams);
        root.put("stream_shape", Map.of("chunks", plan.streamChunks(), "gap_ms", plan.streamGapMs()));
        Map<String, Object> memory = new LinkedHashMap<>();
        r.memory.forEach((name, m) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("rss_at_0_kib", m.rssAtZeroKib);
            Map<String, Object> steps = new LinkedHashMap<>();
            m.rssKib.forEach((n, rss) -> steps.put(Integer.toString(n), Map.of("rss_kib", rss, "kib_per_stream",
                m.perStreamKib(n), "open", m.open.get(n), "failed", m.failed.get(n))));
            t.put("steps", steps);
            if (m.heapAtMaxKib >= 0) {
                t.put("heap_after_gc_at_0_kib", m.heapAtZeroKib);
                t.put("heap_after_gc_at_max_kib", m.heapAtMaxKib);
            }
            memory.put(name, t);
        });
        root.put("memory", memory);
        root.put("problems", r.problems);
        return Json.write(root);
    }

    private void row(StringBuilder md, String key, String label, String d, String n, String g, String vs, String target,
                     Boolean met, Map<String, ?> values) {
        md.append("| ").append(label).append(" | ").append(d).append(" | ").append(n).append(" | ").append(g).append(" | ")
            .append(vs).append(" | ").append(target).append(" | ").append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
        Map<String, Object> entry = new LinkedHashMap<>();
        if (values != null) {
            entry.putAll(values);
        } else {
            entry.put("nginx", n);
            entry.put("gateway", g);
        }
        if (!target.isEmpty()) {
            entry.put("target", target);
            entry.put("met", met);
        }
        summary.put(key, entry);
    }

    private long abs(int rate, String target, double percentile) {
        Map<String, RateFigures> atRate = r.rates.get(rate);
        return atRate == null || !atRate.containsKey(target) ? -1 : atRate.get(target).percentile(percentile);
    }

    private double cpu(int rate, String target) {
        Map<String, RateFigures> atRate = r.rates.get(rate);
        return atRate == null || !atRate.containsKey(target) ? -1 : atRate.get(target).cpuMicrosPerRequest();
    }

    private static long p(org.HdrHistogram.Histogram h, double percentile) {
        return StreamFigures.percentile(h, percentile);
    }

    private static Map<String, Object> pair(Long nginx, Long gateway) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(N, nginx);
        m.put(G, gateway);
        return m;
    }

    private static String fidelity(StreamFigures f) {
        return f.failed + " / " + f.unfaithful + " / " + f.coalesced;
    }

    private static Map<String, Object> fidelityMap(StreamFigures f) {
        return Map.of("completed", f.completed, "failed", f.failed, "altered", f.unfaithful, "coalesced", f.coalesced);
    }

    private static String ms(Long micros) {
        return micros == null || micros == -1 ? "–" : String.format("%.3f", micros / 1000.0);
    }

    private static String ms(long micros) {
        return ms(Long.valueOf(micros));
    }

    private static String diff(Long a, Long b) {
        return a == null || b == null ? "–" : String.format("%+.3f ms", (a - b) / 1000.0);
    }

    private static String diff(long a, long b) {
        return diff(Long.valueOf(a), Long.valueOf(b));
    }

    private static String ratio(double a, double b) {
        return a < 0 || b <= 0 ? "–" : String.format("%.2f×", a / b);
    }

    private static String num(double v) {
        return v < 0 ? "–" : String.format("%,.0f", v);
    }

    private static String num1(double v) {
        return Double.isNaN(v) || v == -1 ? "–" : String.format("%,.1f", v);
    }

    private static String mib(long kib) {
        return kib < 0 ? "–" : String.format("%.1f", kib / 1024.0);
    }
}
