package io.aigateway.bench.run;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.aigateway.bench.load.LoadClient;
import io.aigateway.bench.load.OpenLoopResult;
import io.aigateway.bench.load.OpenLoopRun;
import io.aigateway.bench.load.StreamHold;
import io.aigateway.bench.load.StreamRun;
import io.aigateway.bench.load.Target;
import io.aigateway.bench.proc.JitActivity;
import io.aigateway.bench.proc.JvmHeap;
import io.aigateway.bench.proc.ProcessFigures;

/**
 * The benchmark run. {@code BenchRunner --quick|--full --gateway-jar JAR --nginx BIN --work DIR --results DIR
 * [--note TEXT]}; bench/run.sh passes all of it. Itself the load generator, so it must run on the load CPU.
 */
public final class BenchRunner {

    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long SETTLE_MS = 500;
    private static final long DRAIN_MS = 10_000;
    private static final long ONE_MS = 1_000;
    private static final long TEN_MS = 10_000;
    private static final long UNSTEADY_DIRECT_P99_MICROS = 5_000;
    /** The warm-up's request rate: well below the gateway's peak, so that its JIT compiler gets CPU time. */
    private static final int WARMUP_RATE = 1_500;
    private static final long WARMUP_SLICE_MS = 10_000;
    /** Fewer methods compiled than this in one warm-up slice: the JIT compiler is done. */
    private static final long QUIET_COMPILATIONS = 30;

    /** Starts one of the servers (again: the memory stage restarts nginx and the gateway for a clean baseline). */
    private interface Launcher {
        Launched launch() throws IOException;
    }

    private final Plan plan;
    private final Path work;
    private final Results results = new Results();
    private final LoadClient streamClient;
    private final OpenLoopRun openLoop;
    private final StreamRun streamRun;
    private final Map<String, Target> targets;
    private final Map<String, Launcher> launchers;
    private final Map<String, Launched> servers = new LinkedHashMap<>();
    private int stage;

    private BenchRunner(Plan plan, Path work, LoadClient requestClient, LoadClient streamClient,
                        Map<String, Target> targets, Map<String, Launcher> launchers) {
        this.plan = plan;
        this.work = work;
        this.streamClient = streamClient;
        this.openLoop = new OpenLoopRun(requestClient);
        this.streamRun = new StreamRun(streamClient);
        this.targets = targets;
        this.launchers = launchers;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Plan plan = options.quick ? Plan.quick() : Plan.full();
        Path work = options.work;
        Files.createDirectories(work.resolve("logs"));
        int portA = Servers.freePort();
        int portB = Servers.freePort();
        int nginxPort = Servers.freePort();
        int gatewayPort = Servers.freePort();
        List<String> gatewayFlags = Arrays.asList(options.gatewayJvmFlags.trim().split("\\s+"));
        Results results;
        String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        double[] loadBefore = loadAverage();
        log("plan " + plan.name() + "; work in " + work);
        log("request log database: " + options.store);
        Servers.Database database = Servers.database(work, options.store);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                database.close(); // a run stopped by ^C must not leave its database server behind
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        Map<String, Launcher> launchers = Map.of(
            Results.DIRECT, () -> Servers.mock(work, portA, portB),
            Results.NGINX, () -> Servers.nginx(work, options.nginx, nginxPort, portA, portB),
            Results.GATEWAY, () -> Servers.gateway(work, options.gatewayJar, gatewayFlags, gatewayPort, portA, portB,
                database.jdbcUrl()));
        Map<String, Target> targets = Map.of(
            Results.DIRECT, new Target(Results.DIRECT, URI.create("http://127.0.0.1:" + portA + "/v1/chat/completions")),
            Results.NGINX, new Target(Results.NGINX, URI.create("http://127.0.0.1:" + nginxPort + "/v1/chat/completions")),
            Results.GATEWAY, new Target(Results.GATEWAY, URI.create("http://127.0.0.1:" + gatewayPort + "/v1/chat/completions")));
        try (LoadClient requestClient = new LoadClient(LoadClient.REQUEST_CONNECTIONS);
             LoadClient streamClient = new LoadClient(LoadClient.STREAM_CONNECTIONS)) {
            BenchRunner runner = new BenchRunner(plan, work, requestClient, streamClient, targets, launchers);
            results = runner.results;
            results.meta.put("date", started);
            results.meta.put("plan", plan.name());
            results.meta.put("gateway_jar", options.gatewayJar.toString());
            results.meta.put("gateway_jvm_flags", options.gatewayJvmFlags);
            results.meta.put("note", options.note);
            results.meta.put("request_log_store", options.store);
            try {
                runner.runAll();
            } finally {
                runner.stopAll();
                database.close();
            }
        }
        results.meta.put("load_average_before", loadBefore[0]);
        results.meta.put("load_average_after", loadAverage()[0]);
        Machine.describe(results.meta, options.nginx);
        Report report = new Report(results, plan);
        Files.createDirectories(options.results);
        Files.writeString(options.results.resolve("latest.md"), report.markdown());
        Files.writeString(options.results.resolve("latest.json"), report.json());
        System.out.println();
        System.out.println(report.markdown());
        log("written " + options.results.resolve("latest.md") + " and latest.json; raw logs in " + work.resolve("logs"));
    }

    private void runAll() throws Exception {
        for (String name : Results.TARGETS) {
            servers.put(name, launchers.get(name).launch());
        }
        try (var lines = Files.lines(work.resolve("logs/gateway.log"))) {
            results.meta.put("gateway_command", lines.findFirst().orElse(""));
        }
        for (String name : Results.TARGETS) {
            awaitReady(name);
        }
        Thread.sleep(2_000);
        results.idleRssKib.put(Results.NGINX, ProcessFigures.rssKib(servers.get(Results.NGINX).pid()));
        results.idleRssKib.put(Results.GATEWAY, ProcessFigures.rssKib(servers.get(Results.GATEWAY).pid()));
        results.gatewayIdleHeapKib = JvmHeap.usedKib(servers.get(Results.GATEWAY).pid());
        warmUp();
        peaks();
        fixedRates();
        streams();
        memory();
        soak();
        Thread.sleep(3_000);
        long gatewayPid = servers.get(Results.GATEWAY).pid();
        results.gatewayRssAfterRunKib = ProcessFigures.rssKib(gatewayPid);
        results.gatewayHeapAfterRunKib = JvmHeap.usedKib(gatewayPid);
        servers.values().forEach(Launched::requireAlive);
        scanGatewayLog();
    }

    private void stopAll() throws InterruptedException {
        for (Launched server : servers.values()) {
            server.close();
        }
    }

    private void restart(String name) throws Exception {
        servers.get(name).close();
        servers.put(name, launchers.get(name).launch());
        awaitReady(name);
    }

    private void awaitReady(String name) throws Exception {
        long until = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true) {
            servers.get(name).requireAlive();
            OpenLoopResult probe = openLoop.run(targets.get(name), 10, 100, 2_000);
            if (probe.ok() == 1) {
                log(name + " ready");
                return;
            }
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException(name + " not answering chat after " + READY_TIMEOUT_MS + " ms");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Warms the gateway up until its JIT compiler has finished: slices of open-loop chat at {@link #WARMUP_RATE}
     * (below what the gateway can take, so the compiler, on the same core, gets CPU time) and a burst of streams,
     * until a slice compiles fewer than {@link #QUIET_COMPILATIONS} methods, and at least for the plan's warm-up.
     * Then all three targets get a short turn, so that nginx and the mock are not cold either.
     */
    private void warmUp() throws Exception {
        Target gateway = targets.get(Results.GATEWAY);
        long pid = servers.get(Results.GATEWAY).pid();
        log("warm-up: gateway in slices of " + WARMUP_SLICE_MS / 1000 + " s at " + WARMUP_RATE
            + " req/s plus streams until its JIT compiler is done (at least " + plan.warmupMs() / 1000 + " s, at most "
            + plan.maxWarmupMs() / 1000 + " s)");
        long start = System.nanoTime();
        long before = JitActivity.compilations(pid);
        long compiled;
        while (true) {
            openLoop.run(gateway, WARMUP_RATE, WARMUP_SLICE_MS, DRAIN_MS);
            streamRun.run(gateway, 100, plan.streamChunks(), plan.streamGapMs(), 2_000, 500);
            compiled = JitActivity.compilations(pid);
            long fresh = compiled - before;
            before = compiled;
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            log(String.format("warm-up %3d s: %,d methods compiled in the last slice, %,d in all", elapsedMs / 1000,
                fresh, compiled));
            if (elapsedMs >= plan.warmupMs() && fresh >= 0 && fresh < QUIET_COMPILATIONS) {
                break;
            }
            if (elapsedMs >= plan.maxWarmupMs()) {
                results.problems.add(String.format("The gateway's JIT compiler was still busy after the %d s warm-up "
                    + "(%,d methods in its last slice): the first stages may measure partly unoptimised code.",
                    elapsedMs / 1000, fresh));
                break;
            }
        }
        results.meta.put("gateway_warmup_seconds", (System.nanoTime() - start) / 1_000_000_000L);
        results.meta.put("gateway_jit_compilations_after_warmup", compiled);
        for (String name : Results.TARGETS) {
            openLoop.run(targets.get(name), 1000, 2_000, DRAIN_MS);
        }
        for (String name : Results.TARGETS) {
            streamRun.run(targets.get(name), 100, plan.streamChunks(), plan.streamGapMs(), 2_000, 500);
        }
    }

    private void peaks() throws Exception {
        Wrk wrk = new Wrk(work);
        List<String> order = nextOrder();
        for (int round = 0; round < plan.rounds(); round++) {
            for (String name : rotate(order, round)) {
                Wrk.Peak peak = wrk.run(targets.get(name), plan.peakMs());
                log(String.format("peak %-7s %,10.0f req/s  (errors %d)", name, peak.requestsPerSecond(), peak.errors()));
                results.peak.merge(name, peak.requestsPerSecond() / plan.rounds(), Double::sum);
                results.peakErrors.merge(name, peak.errors(), Long::sum);
                Thread.sleep(SETTLE_MS);
            }
        }
    }

    private void fixedRates() throws Exception {
        double nginxPeak = results.peak.get(Results.NGINX);
        double cap = 0.9 * Math.min(nginxPeak, results.peak.get(Results.DIRECT));
        results.halfNginxPeak = (int) Math.round(nginxPeak / 2 / 100) * 100;
        TreeSet<Integer> mandatory = new TreeSet<>(List.of(500, 2000, results.halfNginxPeak));
        TreeSet<Integer> rates = new TreeSet<>(mandatory);
        plan.ladder().stream().filter(rate -> rate <= cap).forEach(rates::add);
        List<String> givenUp = new ArrayList<>();
        for (int rate : rates) {
            List<String> order = nextOrder();
            for (int round = 0; round < plan.rounds(); round++) {
                for (String name : rotate(order, round)) {
                    if (givenUp.contains(name) && !mandatory.contains(rate)) {
                        continue;
                    }
                    long pid = servers.get(name).pid();
                    long ticks = ProcessFigures.cpuTicks(pid);
                    OpenLoopResult result = openLoop.run(targets.get(name), rate, plan.rateMs(), DRAIN_MS);
                    results.rate(rate, name).add(result, ProcessFigures.cpuTicks(pid) - ticks);
                    log(String.format("rate %,6d %-7s p50 %,8d µs  p99 %,8d µs  p99.9 %,8d µs  ok %d  errors %d  dropped %d",
                        rate, name, result.latencyMicros().getValueAtPercentile(50),
                        result.latencyMicros().getValueAtPercentile(99), result.latencyMicros().getValueAtPercentile(99.9),
                        result.ok(), result.errors(), result.dropped()));
                    Thread.sleep(SETTLE_MS);
                }
            }
            RateFigures direct = results.rates.get(rate).get(Results.DIRECT);
            if (direct != null && (direct.percentile(99) > UNSTEADY_DIRECT_P99_MICROS || !direct.clean())) {
                results.problems.add(String.format("At %,d req/s direct itself had p99 %.1f ms (%d errors or drops): the load "
                    + "CPU was saturated or preempted, so the added figures at this rate are not meaningful.", rate,
                    direct.percentile(99) / 1000.0, direct.errors + direct.dropped));
            }
            for (String name : List.of(Results.NGINX, Results.GATEWAY)) {
                Long added = results.added(rate, name, 99);
                RateFigures figures = results.rates.get(rate).get(name);
                if (figures != null && (added == null || added >= TEN_MS || !figures.clean()) && !givenUp.contains(name)) {
                    givenUp.add(name); // past its limit: higher optional rates would only queue without bound
                }
            }
        }
    }

    private void streams() throws Exception {
        for (int concurrency : Plan.STREAM_CONCURRENCY) {
            List<String> order = nextOrder();
            for (int round = 0; round < plan.rounds(); round++) {
                for (String name : rotate(order, round)) {
                    var result = streamRun.run(targets.get(name), concurrency, plan.streamChunks(), plan.streamGapMs(),
                        plan.streamMs(), Math.min(1_000, plan.streamMs() / 3));
                    results.stream(concurrency, name).add(result);
                    if (Results.DIRECT.equals(name) && result.gapMicros().getValueAtPercentile(99) > 2_000 * plan.streamGapMs()) {
                        results.problems.add(String.format("%,d streams: direct itself had chunk-gap p99 %.1f ms for a %d ms gap: "
                            + "the load CPU was saturated or preempted, so the added stream figures are not meaningful.",
                            concurrency, result.gapMicros().getValueAtPercentile(99) / 1000.0, plan.streamGapMs()));
                    }
                    log(String.format("streams %,5d %-7s ttfb p50 %,7d µs  gap p99 %,7d µs  %,6.0f streams/s  failed %d  unfaithful %d  coalesced %d",
                        concurrency, name, result.ttfbMicros().getValueAtPercentile(50),
                        result.gapMicros().getValueAtPercentile(99), result.streamsPerSecond(), result.failed(),
                        result.unfaithful(), result.coalesced()));
                    Thread.sleep(2 * SETTLE_MS);
                }
            }
        }
    }

    /**
     * Memory per open stream, on a freshly started nginx and gateway: after the earlier stages their resident memory
     * is already as large as those loads made it, and would hide what streams cost. The gateway is warmed briefly
     * (classes loaded, pools created) before the baseline, and its heap is also read after a full GC.
     */
    private void memory() throws Exception {
        for (String name : List.of(Results.NGINX, Results.GATEWAY)) {
            Results.Memory memory = new Results.Memory();
            results.memory.put(name, memory);
            restart(name);
            long pid = servers.get(name).pid();
            openLoop.run(targets.get(name), 500, 2_000, DRAIN_MS);
            streamRun.run(targets.get(name), 50, plan.streamChunks(), plan.streamGapMs(), 1_000, 200);
            Thread.sleep(1_000);
            if (Results.GATEWAY.equals(name)) {
                memory.heapAtZeroKib = JvmHeap.usedAfterGcKib(pid);
            }
            memory.rssAtZeroKib = ProcessFigures.rssKib(pid);
            try (StreamHold hold = new StreamHold(streamClient, targets.get(name))) {
                for (int n : plan.memorySteps()) {
                    int open = hold.openUpTo(n, 1_500, 30_000);
                    Thread.sleep(1_000);
                    memory.rssKib.put(n, ProcessFigures.rssKib(pid));
                    memory.open.put(n, open);
                    memory.failed.put(n, hold.failed());
                    log(String.format("memory %-7s %,5d streams open (%d failed): RSS %,d KiB (%.1f KiB/stream)", name,
                        open, hold.failed(), memory.rssKib.get(n), memory.perStreamKib(n)));
                }
                if (Results.GATEWAY.equals(name)) {
                    memory.heapAtMaxKib = JvmHeap.usedAfterGcKib(pid);
                }
            }
            Thread.sleep(3_000); // let the aborted streams unwind before the next target
        }
    }

    private void soak() throws Exception {
        if (plan.soakMs() <= 0) {
            return;
        }
        Results.Soak soak = new Results.Soak();
        results.soak = soak;
        soak.rate = (int) Math.round(results.peak.get(Results.GATEWAY) / 2 / 100) * 100;
        soak.figures = new RateFigures(soak.rate);
        long pid = servers.get(Results.GATEWAY).pid();
        long sliceMs = 30_000;
        long start = System.nanoTime();
        log("soak: gateway at " + soak.rate + " req/s for " + plan.soakMs() / 1000 + " s, heap after GC every 30 s");
        for (long done = 0; done < plan.soakMs(); done += sliceMs) {
            long ticks = ProcessFigures.cpuTicks(pid);
            OpenLoopResult result = openLoop.run(targets.get(Results.GATEWAY), soak.rate, sliceMs, DRAIN_MS);
            soak.figures.add(result, ProcessFigures.cpuTicks(pid) - ticks);
            long heap = JvmHeap.usedAfterGcKib(pid);
            soak.heapSamples.add(new double[] {(System.nanoTime() - start) / 60e9, heap});
            log(String.format("soak %5.1f min: heap after GC %,d KiB, p99 %,d µs", (System.nanoTime() - start) / 60e9, heap,
                result.latencyMicros().getValueAtPercentile(99)));
        }
    }

    /**
     * Counts the gateway log's errors, warnings and exception lines, reading it line by line: with the request log's
     * JSON line on the console it grows to gigabytes over a full run.
     */
    private void scanGatewayLog() throws IOException {
        long errors = 0;
        long warnings = 0;
        long exceptions = 0;
        try (java.io.BufferedReader reader = Files.newBufferedReader(servers.get(Results.GATEWAY).log,
            java.nio.charset.StandardCharsets.ISO_8859_1)) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.contains(" ERROR ")) {
                    errors++;
                }
                if (line.contains(" WARN ")) {
                    warnings++;
                }
                if (line.contains("Exception") || line.contains("OutOfMemoryError")) {
                    exceptions++;
                }
            }
        }
        results.meta.put("gateway_log_errors", errors);
        results.meta.put("gateway_log_warnings", warnings);
        results.meta.put("gateway_log_exception_lines", exceptions);
    }

    /** The three targets in the order this stage starts with; each stage and each round starts with another. */
    private List<String> nextOrder() {
        return rotate(Results.TARGETS, stage++);
    }

    private static List<String> rotate(List<String> list, int by) {
        List<String> rotated = new ArrayList<>(list);
        Collections.rotate(rotated, -(by % list.size()));
        return rotated;
    }

    private static double[] loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1])};
        } catch (IOException e) {
            return new double[] {-1, -1};
        }
    }

    static void log(String message) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), message);
    }

    private static final class Options {
        boolean quick;
        Path gatewayJar;
        String nginx = "nginx";
        Path work = Path.of("bench/target/run");
        Path results = Path.of("bench/results");
        String gatewayJvmFlags = "-Xmx512m";
        String note = "";
        String store = "mariadb";

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> options.quick = true;
                    case "--full" -> options.quick = false;
                    case "--gateway-jar" -> options.gatewayJar = Path.of(args[++i]);
                    case "--nginx" -> options.nginx = args[++i];
                    case "--work" -> options.work = Path.of(args[++i]);
                    case "--results" -> options.results = Path.of(args[++i]);
                    case "--gateway-jvm-flags" -> options.gatewayJvmFlags = args[++i];
                    case "--note" -> options.note = args[++i];
                    case "--store" -> options.store = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (options.gatewayJar == null) {
                throw new IllegalArgumentException("--gateway-jar is required");
            }
            return options;
        }
    }
}
