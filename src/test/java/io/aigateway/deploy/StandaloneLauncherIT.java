package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged standalone jar starts as its own process, serves the gateway, checks configs, and stops cleanly. */
class StandaloneLauncherIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void packagedLauncherServesChatAndStopsOnSignal() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            Process process = new ProcessBuilder(java(), "-jar", Deployments.standaloneJar().toString(), "--config", config.toString())
                .redirectErrorStream(true).start();
            try {
                CompletableFuture<Integer> port = new CompletableFuture<>();
                StringBuilder output = new StringBuilder();
                Thread reader = new Thread(() -> {
                    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            synchronized (output) {
                                output.append(line).append('\n');
                            }
                            Matcher matcher = LISTENING.matcher(line);
                            if (matcher.find())
                                port.complete(Integer.parseInt(matcher.group(1)));
                        }
                        port.completeExceptionally(new AssertionError("launcher exited before listening:\n" + output));
                    } catch (Exception x) {
                        port.completeExceptionally(x);
                    }
                });
                reader.setDaemon(true);
                reader.start();

                URI gateway = URI.create("http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS));
                Deployments.assertServesChat(gateway, backend);
                assertJettyErrorsAreOpenAiShaped(gateway);

                process.destroy(); // SIGTERM: graceful shutdown
                assertTrue(process.waitFor(40, TimeUnit.SECONDS), "launcher did not stop on SIGTERM");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** A header block over Jetty's limit is refused before the webapp runs: still a JSON error. */
    private static void assertJettyErrorsAreOpenAiShaped(URI gateway) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            String request = "GET /v1/models HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 431"), reply);
            assertTrue(reply.contains("application/json"), reply);
            assertTrue(reply.contains("{\"error\":{\"message\":"), reply);
            assertTrue(reply.contains("\"code\":\"http_431\""), reply);
        }
    }

    @Test
    void checkConfigAcceptsAValidFileAndRejectsAnInvalidOneWithTheFieldPath() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path valid = Deployments.writeConfig(backend, 0);
            Process ok = new ProcessBuilder(java(), "-jar", Deployments.standaloneJar().toString(), "--check-config", valid.toString())
                .redirectErrorStream(true).start();
            String okOutput = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ok.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, ok.exitValue(), okOutput);
            assertTrue(okOutput.contains("valid"), okOutput);
        }

        Path invalid = Files.createTempFile("invalid-", ".yaml");
        Files.writeString(invalid, """
            backends:
              - {name: a, flavor: openai, endpoint: "http://127.0.0.1:1/v1", models: [m]}
              - {name: b, flavor: openai, endpoint: "not a url", models: [m]}
            """);
        Process bad = new ProcessBuilder(java(), "-jar", Deployments.standaloneJar().toString(), "--check-config", invalid.toString())
            .redirectErrorStream(true).start();
        String badOutput = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), badOutput);
        assertTrue(badOutput.contains("backends[1].endpoint"), badOutput);
    }
}
