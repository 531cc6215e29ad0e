package io.aigateway.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the run ran on, for the report's header. */
final class Machine {

    private Machine() {
    }

    static void describe(Map<String, Object> meta, String nginx) {
        meta.put("cpus", Runtime.getRuntime().availableProcessors() + " visible to the load generator; "
            + command("nproc", "--all").trim() + " in the machine");
        meta.put("cpu_model", cpuModel());
        meta.put("kernel", command("uname", "-r").trim());
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("nginx", command(nginx, "-v").trim());
        meta.put("wrk", command("wrk", "-v").lines().findFirst().orElse("").trim());
        meta.put("memory", memTotal());
        meta.put("pinning", "mock + load generator + wrk (+ the request log's MariaDB) on CPU " + Servers.LOAD_CPU + "; nginx and gateway on CPU "
            + Servers.PROXY_CPU + " (taskset)");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
