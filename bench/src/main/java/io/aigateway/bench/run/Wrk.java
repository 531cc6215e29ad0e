package io.aigateway.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.aigateway.bench.load.LoadClient;
import io.aigateway.bench.load.Target;
import io.aigateway.bench.mock.ChatPayloads;

/**
 * The closed-loop peak finder: wrk (one thread, {@link Plan#PEAK_CONNECTIONS} connections) on the load CPU,
 * posting the same chat request as the open-loop runs. Only its request rate is used; its latencies are
 * closed-loop and therefore not reported.
 */
final class Wrk {

    /** Peak of one run: requests per second, and the non-2xx responses and socket errors it met. */
    record Peak(double requestsPerSecond, long errors) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path script;
    private final Path log;

    Wrk(Path work) throws IOException {
        script = work.resolve("post.lua");
        log = work.resolve("logs/wrk.log");
        Files.writeString(script, """
            wrk.method = "POST"
            wrk.body = '%s'
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer %s"
            """.formatted(new String(ChatPayloads.chatRequest(false), StandardCharsets.US_ASCII), LoadClient.TENANT_KEY));
    }

    Peak run(Target target, long durationMs) throws IOException, InterruptedException {
        return run(target, durationMs, Plan.PEAK_CONNECTIONS);
    }

    Peak run(Target target, long durationMs, int connections) throws IOException, InterruptedException {
        List<String> command = List.of("taskset", "-c", Integer.toString(Servers.LOAD_CPU), "wrk", "-t1",
            "-c" + connections, "-d" + Math.max(1, durationMs / 1000) + "s", "--timeout", "10s",
            "-s", script.toString(), target.chatUri().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(durationMs + 30_000, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Files.writeString(log, "## " + target.name() + "\n" + out + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("wrk printed no rate: " + out);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET.matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Peak(Double.parseDouble(rate.group(1)), errors);
    }
}
