package io.aigateway.bench.run;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.aigateway.bench.load.LoadClient;
import io.aigateway.bench.load.OpenLoopResult;
import io.aigateway.bench.load.OpenLoopRun;
import io.aigateway.bench.load.StreamHold;
import io.aigateway.bench.load.StreamResult;
import io.aigateway.bench.load.StreamRun;
import io.aigateway.bench.load.Target;
import io.aigateway.bench.proc.JvmHeap;
import io.aigateway.bench.proc.ProcessFigures;

/**
 * The soak: does the gateway give back what load took? Against the mock only (no nginx), it measures a baseline
 * after warm-up, then holds {@code --streams} SSE streams open for {@code --hold-seconds} (clients then abort them
 * all at once), then runs {@code --mixed-minutes} of mixed traffic (open-loop non-stream chat at {@code --rate}
 * plus {@code --mixed-streams} concurrent short streams), sampling the gateway's heap, RSS, threads and sockets
 * every {@code --sample-seconds}. After the load it waits for the gateway to settle and checks that threads, sockets
 * and heap after GC are back near the baseline. Threads are counted apart: the workers of the gateway's two bounded
 * pools ({@code aigateway-server-N}, {@code aigateway-upstream-N}) grow under load and shrink back only slowly (Jetty
 * retires one idle worker per 60 s idle timeout), so they must merely stay within their bounds; every other thread
 * must be back. Writes {@code soak-latest.md} and exits 1 when a check fails.
 */
public final class SoakRunner {

    /** Threads outside the bounded pools a settled gateway may keep above its baseline (a JIT or GC thread). */
    static final int THREAD_SLACK = 4;
    /** Pool workers at most: the launcher's server pool (400) and the upstream client's ({@code maxThreads}, 200). */
    static final int POOL_BOUND = 400 + 200;
    private static final Pattern POOL_WORKER = Pattern.compile("^\"aigateway-(server|upstream)-\\d+\"");
    /** Sockets a settled gateway may keep above its baseline (a pooled upstream connection or two). */
    static final int SOCKET_SLACK = 8;
    /** Heap after GC a settled gateway may keep above its baseline: 25 % or 16 MiB, whichever is larger. */
    static final double HEAP_SLACK_RATIO = 0.25;
    static final long HEAP_SLACK_MIN_KIB = 16 * 1024;
    /** Longest wait for the gateway to settle after the load. */
    static final long SETTLE_TIMEOUT_MS = 180_000;

    private final Options options;
    private final Launched gateway;
    private final Target target;
    private final List<Sample> samples = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    /** One reading of the gateway process. {@code heapKib} is after a full GC only where the phase says so. */
    record Sample(String phase, double seconds, long heapKib, long rssKib, int threads, int poolWorkers, int sockets) {
        int otherThreads() {
            return threads - poolWorkers;
        }
    }

    private SoakRunner(Options options, Launched gateway, Target target) {
        this.options = options;
        this.gateway = gateway;
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.work.resolve("logs"));
        int portA = Servers.freePort();
        int portB = Servers.freePort();
        int gatewayPort = Servers.freePort();
        List<String> gatewayFlags = Arrays.asList(options.gatewayJvmFlags.trim().split("\\s+"));
        String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Target target = new Target("gateway", URI.create("http://127.0.0.1:" + gatewayPort + "/v1/chat/completions"));
        boolean passed;
        String report;
        // The soak looks for leaks in the gateway's process: the request log stays in it (embedded H2), so that
        // anything its store holds on to shows too.
        try (Launched mock = Servers.mock(options.work, portA, portB);
             Servers.Database database = Servers.database(options.work, "h2");
             Launched gateway = Servers.gateway(options.work, options.gatewayJar, gatewayFlags, gatewayPort, portA, portB,
                 database.jdbcUrl())) {
            SoakRunner soak = new SoakRunner(options, gateway, target);
            List<String> checks = new ArrayList<>();
            passed = soak.run(mock, checks);
            report = soak.markdown(started, checks, passed);
        }
        Files.createDirectories(options.results);
        Files.writeString(options.results.resolve("soak-latest.md"), report);
        System.out.println();
        System.out.println(report);
        log("written " + options.results.resolve("soak-latest.md") + "; raw logs in " + options.work.resolve("logs"));
        System.exit(passed ? 0 : 1);
    }

    private boolean run(Launched mock, List<String> checks) throws Exception {
        Sample baseline;
        try (LoadClient requests = new LoadClient(LoadClient.REQUEST_CONNECTIONS)) {
            OpenLoopRun openLoop = new OpenLoopRun(requests);
            awaitReady(mock, openLoop);
            log("warm-up: 10 s of non-stream chat at " + options.rate + " req/s");
            openLoop.run(target, options.rate, 10_000, 10_000);
        }
        Thread.sleep(3_000);
        baseline = sample("baseline (after GC)", true);

        try (LoadClient streams = new LoadClient(LoadClient.STREAM_CONNECTIONS)) {
            log("hold: opening " + options.streams + " SSE streams, holding them " + options.holdSeconds + " s");
            try (StreamHold hold = new StreamHold(streams, target)) {
                int open = hold.openUpTo(options.streams, Math.min(10_000, options.streams * 10L), 60_000);
                log(String.format("hold: %d streams open, %d failed", open, hold.failed()));
                checks.add(check(open == options.streams && hold.failed() == 0,
                    String.format("streams opened: %d of %d (%d failed)", open, options.streams, hold.failed())));
                sampleEvery("hold", options.holdSeconds * 1000L);
                log("hold: aborting every stream at once (clients going away)");
            }
        }

        log("mixed: " + options.mixedMinutes + " min of non-stream chat at " + options.rate + " req/s and "
            + options.mixedStreams + " concurrent short streams");
        long mixedMs = options.mixedMinutes * 60_000L;
        try (LoadClient requests = new LoadClient(LoadClient.REQUEST_CONNECTIONS);
             LoadClient streams = new LoadClient(LoadClient.STREAM_CONNECTIONS)) {
            ExecutorService load = Executors.newFixedThreadPool(2);
            try {
                Future<OpenLoopResult> chat = load.submit(() -> new OpenLoopRun(requests).run(target, options.rate, mixedMs, 10_000));
                Future<StreamResult> sse = load.submit(() -> new StreamRun(streams).run(target, options.mixedStreams, 20, 50, mixedMs, 5_000));
                sampleEvery("mixed", mixedMs);
                OpenLoopResult chatResult = chat.get(mixedMs + 120_000, TimeUnit.MILLISECONDS);
                StreamResult sseResult = sse.get(mixedMs + 120_000, TimeUnit.MILLISECONDS);
                log(String.format("mixed: %d chat ok, %d errors; %d streams complete, %d failed",
                    chatResult.ok(), chatResult.errors(), sseResult.completed(), sseResult.failed()));
                checks.add(check(chatResult.errors() == 0 && chatResult.dropped() == 0 && sseResult.failed() == 0
                        && sseResult.unfaithful() == 0,
                    String.format("mixed traffic: %,d non-stream answers (%d errors, %d not sent: too many outstanding),"
                        + " %,d streams (%d failed, %d altered)", chatResult.ok(), chatResult.errors(), chatResult.dropped(),
                        sseResult.completed(), sseResult.failed(), sseResult.unfaithful())));
            } finally {
                load.shutdownNow();
            }
        }

        log("settle: waiting (at most " + SETTLE_TIMEOUT_MS / 1000 + " s) for threads, sockets and heap to come back");
        long until = System.currentTimeMillis() + SETTLE_TIMEOUT_MS;
        Sample after;
        while (true) {
            after = sample("after (after GC)", true);
            if (settled(baseline, after) || System.currentTimeMillis() > until) {
                break;
            }
            Thread.sleep(10_000);
        }
        long heapAllowed = baseline.heapKib() + Math.max(HEAP_SLACK_MIN_KIB, (long)(baseline.heapKib() * HEAP_SLACK_RATIO));
        int peakWorkers = samples.stream().mapToInt(Sample::poolWorkers).max().orElse(0);
        checks.add(check(after.otherThreads() <= baseline.otherThreads() + THREAD_SLACK,
            String.format("threads outside the pools back: %d (baseline %d, allowed +%d)", after.otherThreads(),
                baseline.otherThreads(), THREAD_SLACK)));
        checks.add(check(peakWorkers <= POOL_BOUND && after.poolWorkers() <= peakWorkers,
            String.format("pool workers bounded: peak %d (bound %d), %d after the load (baseline %d; idle ones retire one per"
                + " 60 s)", peakWorkers, POOL_BOUND, after.poolWorkers(), baseline.poolWorkers())));
        checks.add(check(after.sockets() <= baseline.sockets() + SOCKET_SLACK,
            String.format("sockets back: %d (baseline %d, allowed +%d)", after.sockets(), baseline.sockets(), SOCKET_SLACK)));
        checks.add(check(after.heapKib() >= 0 && after.heapKib() <= heapAllowed,
            String.format("heap after GC back: %,d KiB (baseline %,d KiB, allowed up to %,d KiB)", after.heapKib(),
                baseline.heapKib(), heapAllowed)));
        gateway.requireAlive();
        return checks.stream().allMatch(c -> c.startsWith("PASS"));
    }

    private boolean settled(Sample baseline, Sample now) {
        long heapAllowed = baseline.heapKib() + Math.max(HEAP_SLACK_MIN_KIB, (long)(baseline.heapKib() * HEAP_SLACK_RATIO));
        return now.otherThreads() <= baseline.otherThreads() + THREAD_SLACK && now.sockets() <= baseline.sockets() + SOCKET_SLACK
            && now.heapKib() <= heapAllowed;
    }

    private void awaitReady(Launched mock, OpenLoopRun openLoop) throws Exception {
        long until = System.currentTimeMillis() + 60_000;
        while (true) {
            mock.requireAlive();
            gateway.requireAlive();
            if (openLoop.run(target, 10, 100, 2_000).ok() == 1) {
                log("gateway ready");
                return;
            }
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("gateway not answering chat after 60 s; see " + gateway.log);
            }
            Thread.sleep(250);
        }
    }

    private void sampleEvery(String phase, long durationMs) throws InterruptedException {
        long end = System.currentTimeMillis() + durationMs;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(options.sampleSeconds * 1000L, Math.max(0, end - System.currentTimeMillis())));
            sample(phase, false);
        }
    }

    private Sample sample(String phase, boolean afterGc) {
        long pid = gateway.pid();
        long heap = afterGc ? JvmHeap.usedAfterGcKib(pid) : JvmHeap.usedKib(pid);
        Sample sample = new Sample(phase, (System.nanoTime() - startNanos) / 1e9, heap, ProcessFigures.rssKib(pid),
            threads(pid), poolWorkers(pid), sockets(pid));
        samples.add(sample);
        log(String.format("%-20s heap %,9d KiB  rss %,9d KiB  threads %4d (pool workers %3d)  sockets %5d", phase,
            sample.heapKib(), sample.rssKib(), sample.threads(), sample.poolWorkers(), sample.sockets()));
        return sample;
    }

    /** Threads of the process, from {@code /proc/<pid>/status}. */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return -1;
    }

    /** Workers of the gateway's two bounded thread pools, from {@code jcmd Thread.print}; -1 when jcmd fails. */
    static int poolWorkers(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return -1;
            }
            return (int)out.lines().filter(line -> POOL_WORKER.matcher(line).find()).count();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Open sockets of the process (listening, client and upstream connections), from {@code /proc/<pid>/fd}. */
    static int sockets(long pid) {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        count++;
                    }
                } catch (IOException closed) {
                    // closed between listing and reading
                }
            }
        } catch (IOException gone) {
            return -1;
        }
        return count;
    }

    private static String check(boolean ok, String what) {
        String line = (ok ? "PASS " : "FAIL ") + what;
        log(line);
        return line;
    }

    private String markdown(String started, List<String> checks, boolean passed) {
        StringBuilder md = new StringBuilder();
        md.append("# Soak ").append(passed ? "passed" : "FAILED").append("\n\n");
        md.append(String.format(Locale.ROOT, "Started %s. Sizes: %d SSE streams held %d s, then %d min of mixed traffic "
                + "(%d req/s non-stream chat + %d concurrent short streams). Gateway JVM flags: `%s`. Machine: %d CPUs (mock and "
                + "load on CPU 0, the gateway on CPU 1).%n%n",
            started, options.streams, options.holdSeconds, options.mixedMinutes, options.rate, options.mixedStreams,
            options.gatewayJvmFlags, machineCpus()));
        md.append("## Checks\n\n");
        checks.forEach(c -> md.append("- ").append(c).append('\n'));
        md.append("\n## Samples of the gateway process\n\n");
        md.append("| phase | t (s) | heap used (KiB) | RSS (KiB) | threads | of which pool workers | sockets |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %,d | %,d | %d | %d | %d |%n", s.phase(), s.seconds(),
                s.heapKib(), s.rssKib(), s.threads(), s.poolWorkers(), s.sockets()));
        }
        md.append("\nHeap is after a full GC (`jcmd GC.run`) in the baseline and after rows, as used otherwise. RSS is"
            + " reported, not checked: the JVM keeps memory it has committed.\n");
        return md.toString();
    }

    /** CPUs of the machine: not {@code availableProcessors()}, which sees only the CPU this runner is pinned to. */
    private static long machineCpus() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void log(String line) {
        System.out.println(OffsetDateTime.now(ZoneOffset.UTC).toLocalTime().withNano(0) + " " + line);
    }

    private static final class Options {
        Path gatewayJar = Path.of("target/ai-gateway-standalone.jar");
        Path work = Path.of("bench/target/soak");
        Path results = Path.of("bench/results");
        String gatewayJvmFlags = "-Xmx512m";
        int streams = 1_000;
        int holdSeconds = 60;
        int mixedMinutes = 10;
        int rate = 200;
        int mixedStreams = 50;
        int sampleSeconds = 5;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--gateway-jar" -> options.gatewayJar = Path.of(args[++i]);
                    case "--work" -> options.work = Path.of(args[++i]);
                    case "--results" -> options.results = Path.of(args[++i]);
                    case "--gateway-jvm-flags" -> options.gatewayJvmFlags = args[++i];
                    case "--streams" -> options.streams = positive(args[i], args[++i]);
                    case "--hold-seconds" -> options.holdSeconds = positive(args[i], args[++i]);
                    case "--mixed-minutes" -> options.mixedMinutes = positive(args[i], args[++i]);
                    case "--rate" -> options.rate = positive(args[i], args[++i]);
                    case "--mixed-streams" -> options.mixedStreams = positive(args[i], args[++i]);
                    case "--sample-seconds" -> options.sampleSeconds = positive(args[i], args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return options;
        }

        private static int positive(String option, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1");
            }
            return n;
        }
    }
}
