package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.StreamGate;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged standalone jar starts as its own process, serves the gateway, answers its command-line options,
 * checks configs, and stops gracefully.
 */
class StandaloneLauncherIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");
    /** The launcher's grace period for requests in flight at SIGTERM. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    @Test
    void packagedLauncherServesChatAndStopsOnSignal() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            try (Launched launched = Launched.serve("--config", config.toString())) {
                Deployments.assertServesChat(launched.gateway, backend);
                assertJettyErrorsAreOpenAiShaped(launched.gateway);
                assertTrue(Files.exists(launched.workDir.resolve("data/aigateway.mv.db")),
                    "without --database the launcher keeps its store in data/ under the working directory");

                launched.process.destroy(); // SIGTERM: graceful shutdown
                assertTrue(launched.process.waitFor(40, TimeUnit.SECONDS), "launcher did not stop on SIGTERM");
            }
        }
    }

    /** A header block over Jetty's limit is refused before the webapp runs: still a JSON error. */
    private static void assertJettyErrorsAreOpenAiShaped(URI gateway) throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
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
    void sigtermRefusesNewConnectionsAndLetsAnInFlightStreamFinish() throws Exception {
        StreamGate gate = new StreamGate();
        try (FakeBackend backend = FakeBackend.start("azure")) {
            backend.enqueue(Reply.defaultReply().gatedBy(gate));
            Path config = Deployments.writeConfig(backend, 0);
            try (Launched launched = Launched.serve("--config", config.toString())) {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(
                    chat(launched.gateway, Deployments.KEY, true), HttpResponse.BodyHandlers.ofInputStream());
                // The gateway holds a stream until its first content: let the role chunk and "hello" through.
                gate.awaitSent(0);
                gate.release(0);
                gate.awaitSent(1);
                HttpResponse<InputStream> response = pending.get(10, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                BufferedReader stream = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                StringBuilder received = new StringBuilder();
                String first = stream.readLine();
                assertTrue(first != null && first.startsWith("data: {"), "first event: " + first);
                received.append(first).append('\n');

                launched.process.destroy(); // SIGTERM while the stream is held open by the gate
                assertConnectionsRefusedSoon(launched.gateway);
                assertTrue(launched.process.isAlive(), "the launcher exited before the stream in flight finished");

                gate.releaseAll();
                for (String line; (line = stream.readLine()) != null; )
                    received.append(line).append('\n');
                assertTrue(received.toString().contains("data: [DONE]"), received.toString());
                assertTrue(launched.process.waitFor(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS),
                    "launcher did not stop within the grace period:\n" + launched.output());
                int exit = launched.process.exitValue();
                assertTrue(exit == 0 || exit == 143, "exit code " + exit + "\n" + launched.output());
            }
        }
    }

    /**
     * The listener closes at the start of the shutdown; until then connections are still accepted. Each accepted one
     * is used for a whole request, which paces the attempts without sleeping and keeps the accept queue short.
     */
    private static void assertConnectionsRefusedSoon(URI gateway) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 1000);
                socket.setSoTimeout(1000);
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (ConnectException refused) {
                return;
            } catch (SocketTimeoutException | SocketException notYet) {
                // Accepted but not served, or reset while the listener closed: try again.
            }
        }
        throw new AssertionError("new connections were still accepted 10 s after SIGTERM");
    }

    @Test
    void noAuthAcceptsKeylessRequestsAsDevOnLoopbackButStillRefusesAWrongKey() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            Path database = Files.createTempDirectory("launcher-db-").resolve("store");
            try (Launched launched = Launched.serve("--config", config.toString(), "--addr", "127.0.0.1", "--no-auth",
                "--database", "jdbc:h2:file:" + database + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;USER=gw;PASSWORD=db-secret")) {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> keyless = client.send(chat(launched.gateway, null, false), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, keyless.statusCode(), keyless.body());
                assertEquals("hello from azure", Json.parse(keyless.body()).getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("message").getString("content"));

                HttpResponse<String> models = client.send(HttpRequest.newBuilder(launched.gateway.resolve("/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, models.statusCode(), models.body());
                assertTrue(models.body().contains("gpt-4o"), models.body());

                HttpResponse<String> wrongKey = client.send(chat(launched.gateway, "sk-wrong", false), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, wrongKey.statusCode());
                assertTrue(wrongKey.body().contains("invalid_api_key"), wrongKey.body());

                String output = launched.output();
                assertTrue(output.contains("WARNING: --no-auth"), output);
                assertTrue(output.contains("AUTHENTICATION IS OFF"), output);
                assertTrue(Files.exists(database.resolveSibling("store.mv.db")), "--database names the store's database");
                assertFalse(output.contains("db-secret"), output);
            }
        }
    }

    @Test
    void noAuthRefusesToBindToANonLoopbackAddress() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            for (String address : List.of("0.0.0.0", "192.0.2.1", "example.com")) {
                Finished refused = Finished.run("--config", config.toString(), "--no-auth", "--addr", address);
                assertEquals(64, refused.exit, refused.output);
                assertTrue(refused.output.contains("--no-auth refuses to bind to " + address), refused.output);
            }
        }
    }

    @Test
    void listBackendsPrintsBackendsDeploymentsAndAliasesButNoKeys() throws Exception {
        Path config = Files.createTempFile("list-", ".yaml");
        Files.writeString(config, """
            backends:
              - {name: azure-eu, flavor: azure, endpoint: "https://eu.example.com", keys: [eu-key-1, eu-key-2],
                 weight: 3, deployments: [{name: gpt4o-prod, model: gpt-4o}, {name: mini, model: gpt-4o-mini}]}
              - {name: openai, flavor: openai, endpoint: "https://api.example.com/v1", keys: [oa-key], priority: 1,
                 enabled: false, models: [gpt-4o]}
            models:
              aliases:
                fast: gpt-4o-mini
                gpt-4o-eu: azure-eu:gpt-4o
            """);
        Finished listed = Finished.run("--config", config.toString(), "--list-backends");
        assertEquals(0, listed.exit, listed.output);
        assertEquals("""
            backends (2):
              azure-eu: flavor=azure endpoint=https://eu.example.com enabled=true weight=3 priority=0 keys=2
                deployment gpt4o-prod -> gpt-4o
                deployment mini -> gpt-4o-mini
              openai: flavor=openai endpoint=https://api.example.com/v1 enabled=false weight=1 priority=1 keys=1
                deployment gpt-4o -> gpt-4o
            aliases (2):
              fast -> gpt-4o-mini
              gpt-4o-eu -> azure-eu:gpt-4o
            """, listed.output);

        Path invalid = Files.createTempFile("list-invalid-", ".yaml");
        Files.writeString(invalid, """
            backends:
              - {name: b, flavor: openai, endpoint: "not a url", keys: [secret-key], models: [m]}
            """);
        Finished refused = Finished.run("--config", invalid.toString(), "--list-backends");
        assertEquals(2, refused.exit, refused.output);
        assertTrue(refused.output.contains("backends[0].endpoint"), refused.output);
        assertFalse(refused.output.contains("secret-key"), refused.output);
    }

    @Test
    void versionHelpAndBadCommandLinesAnswerWithoutStarting() throws Exception {
        Finished version = Finished.run("--version");
        assertEquals(0, version.exit, version.output);
        assertTrue(version.output.matches("AI Gateway \\d+\\.\\d+\\.\\d+\\S*\\R"), version.output);

        Finished help = Finished.run("--help");
        assertEquals(0, help.exit, help.output);
        for (String option : List.of("--config", "--port", "--addr", "--host", "--war", "--database", "--no-auth",
            "--check-config", "--list-backends", "--version", "--help"))
            assertTrue(help.output.contains(option), option + " missing from:\n" + help.output);

        Finished unknown = Finished.run("--bogus");
        assertEquals(64, unknown.exit, unknown.output);
        assertTrue(unknown.output.contains("Unknown option: --bogus"), unknown.output);

        Finished notJdbc = Finished.run("--database", "mariadb://u:pw-secret@db/gateway");
        assertEquals(64, notJdbc.exit, notJdbc.output);
        assertTrue(notJdbc.output.contains("--database must be a JDBC URL"), notJdbc.output);
        assertFalse(notJdbc.output.contains("pw-secret"), notJdbc.output);

        Finished twoAddresses = Finished.run("--addr", "127.0.0.1", "--host", "0.0.0.0");
        assertEquals(64, twoAddresses.exit, twoAddresses.output);
    }

    @Test
    void checkConfigAcceptsAValidFileAndRejectsAnInvalidOneWithTheFieldPath() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path valid = Deployments.writeConfig(backend, 0);
            Finished ok = Finished.run("--check-config", valid.toString());
            assertEquals(0, ok.exit, ok.output);
            assertTrue(ok.output.contains("valid"), ok.output);
        }

        Path invalid = Files.createTempFile("invalid-", ".yaml");
        Files.writeString(invalid, """
            backends:
              - {name: a, flavor: openai, endpoint: "http://127.0.0.1:1/v1", models: [m]}
              - {name: b, flavor: openai, endpoint: "not a url", models: [m]}
            """);
        Finished bad = Finished.run("--check-config", invalid.toString());
        assertEquals(2, bad.exit, bad.output);
        assertTrue(bad.output.contains("backends[1].endpoint"), bad.output);

        // Every section is checked by the launcher itself, quota schedules (cron) included.
        Path quotas = Files.createTempFile("quotas-", ".yaml");
        Files.writeString(quotas, """
            tenants:
              - {name: t, keys: [k], models: ["*"], limits: {rpm: 60}, quota: {requests: 10, reset: "0 0 1 * *"}}
              - {name: u, keys: [k2], models: ["*"], quota: {requests: 10, reset: "every day"}}
            backends:
              - {name: a, flavor: openai, endpoint: "http://127.0.0.1:1/v1", models: [m]}
            prices: {m: {input: 1, output: 2}}
            """);
        Finished quota = Finished.run("--check-config", quotas.toString());
        assertEquals(2, quota.exit, quota.output);
        assertTrue(quota.output.contains("tenants[1].quota.reset"), quota.output);
        assertFalse(quota.output.contains("tenants[0]"), quota.output);
    }

    private static HttpRequest chat(URI gateway, String key, boolean stream) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", stream)));
        if (key != null)
            request.header("Authorization", "Bearer " + key);
        return request.build();
    }

    /**
     * Each launcher runs in a working directory of its own, so that its embedded store ({@code data/} under the
     * working directory) is never shared with another run or left in the project.
     */
    private static ProcessBuilder launcher(String... args) throws java.io.IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true)
            .directory(Files.createTempDirectory("launcher-cwd-").toFile());
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", Deployments.standaloneJar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A launcher run that exits by itself (a check, a listing, a refusal), with its output (stdout and stderr). */
    private record Finished(int exit, String output) {
        static Finished run(String... args) throws Exception {
            Process process = launcher(args).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit:\n" + output);
            return new Finished(process.exitValue(), output);
        }
    }

    /** A launcher serving on a free port; closing it kills the process if the test has not stopped it. */
    private static final class Launched implements AutoCloseable {
        final Process process;
        /** The launcher's working directory. */
        Path workDir;
        final URI gateway;
        /** Everything the launcher printed so far; appended to by the reader thread. */
        private final StringBuilder output;

        private Launched(Process process, StringBuilder output, CompletableFuture<Integer> port) throws Exception {
            this.process = process;
            this.output = output;
            Integer listening;
            try {
                listening = port.get(60, TimeUnit.SECONDS);
            } catch (Exception x) {
                process.destroyForcibly();
                throw x;
            }
            this.gateway = URI.create("http://127.0.0.1:" + listening);
        }

        static Launched serve(String... args) throws Exception {
            ProcessBuilder builder = launcher(args);
            Process process = builder.start();
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
            }, "launcher-output");
            reader.setDaemon(true);
            reader.start();
            Launched launched = new Launched(process, output, port);
            launched.workDir = builder.directory().toPath();
            return launched;
        }

        String output() {
            synchronized (output) {
                return output.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
