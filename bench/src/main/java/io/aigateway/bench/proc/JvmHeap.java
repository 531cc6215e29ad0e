package io.aigateway.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap in use of a running JVM, as {@code jcmd <pid> GC.heap_info} reports it (every collector's format). */
public final class JvmHeap {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private JvmHeap() {
    }

    /** Heap used in KiB right after a full collection ({@code jcmd GC.run}), or -1. */
    public static long usedAfterGcKib(long pid) {
        return jcmd(pid, "GC.run") ? usedKib(pid) : -1;
    }

    private static boolean jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Heap used in KiB (young and old generations, not metaspace), or -1 when jcmd could not say. */
    public static long usedKib(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return -1;
            }
            long kib = 0;
            boolean found = false;
            for (String line : out.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                    continue;
                }
                Matcher used = USED.matcher(line);
                // Generations and whole-heap lines both say "used": take whole-heap lines when present (G1),
                // otherwise sum the generations (Serial, Parallel).
                if (used.find() && !trimmed.startsWith("region size") && !trimmed.startsWith("eden")
                    && !trimmed.startsWith("from") && !trimmed.startsWith("to") && !trimmed.startsWith("the space")) {
                    kib += Long.parseLong(used.group(1));
                    found = true;
                }
            }
            return found ? kib : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
