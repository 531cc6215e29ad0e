package io.aigateway.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the run started (mock, nginx, gateway), pinned to one CPU with {@code taskset} (which execs, so the pid is
 * the server's own), its output in a log file. Closing stops it with SIGTERM, then SIGKILL after a grace period.
 */
final class Launched implements AutoCloseable {

    private static final long GRACE_SECONDS = 35;

    final String name;
    final Process process;
    final Path log;

    private Launched(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Launched start(String name, int cpu, List<String> command, Path log) throws IOException {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
        pinned.addAll(command);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", pinned) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(pinned).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Launched(name, process, log);
    }

    long pid() {
        return process.pid();
    }

    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
            System.err.println(name + " did not stop within " + GRACE_SECONDS + " s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
