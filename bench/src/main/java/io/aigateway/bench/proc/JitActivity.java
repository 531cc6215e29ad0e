package io.aigateway.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much a running JVM's JIT compiler has done: the methods it has compiled so far, from the HotSpot counter
 * {@code sun.ci.totalCompiles} ({@code jcmd <pid> PerfCounter.print}, what {@code jstat -compiler} reads). The
 * benchmark warms the gateway up until this stops growing: on one core the compiler shares the CPU with the load
 * and needs minutes, and figures taken before it is done measure the interpreter.
 */
public final class JitActivity {

    private static final Pattern TOTAL = Pattern.compile("sun\\.ci\\.totalCompiles=(\\d+)");

    private JitActivity() {
    }

    /** Methods compiled so far, or -1 when jcmd could not say. */
    public static long compilations(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "PerfCounter.print")
                .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return -1;
            }
            Matcher total = TOTAL.matcher(out);
            return total.find() ? Long.parseLong(total.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
