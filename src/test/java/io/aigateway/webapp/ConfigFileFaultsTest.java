package io.aigateway.webapp;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watched config file ({@code reload.watch: true}) replaced by an invalid one, cut short, emptied or deleted
 * while the gateway runs: each time the running config stays and serves, {@code GET /admin/status} shows the refusal
 * with its field path, and a later valid file applies. {@link ReloadTest} covers the valid and invalid reloads.
 */
class ConfigFileFaultsTest {
    static final String ADMIN_KEY = "admin-config-faults";
    static final String KEY = "sk-config-faults-team";
    static final String NEW_KEY = "sk-config-faults-new";

    static FakeBackend backend;
    static TestDatabase db;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("a");
        db = TestDatabase.h2();
    }

    @AfterAll
    static void stop() {
        backend.close();
        db.close();
    }

    private static String config(String pollInterval, String extraTenant, String flavor) {
        return """
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            reload: {watch: true, poll_interval: %s}
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            %s
            backends:
              - {name: a, flavor: %s, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(db.url(), ADMIN_KEY, pollInterval, KEY, extraTenant, flavor, backend.url());
    }

    private static String valid(String pollInterval) {
        return config(pollInterval, "", "openai");
    }

    /** Refused, with the running config still serving and the refusal in the admin status. */
    private static String assertRefused(GatewayServer gateway, LiveConfig live, String expected) {
        live.poll();
        assertFalse(live.lastReload().ok(), "refused");
        assertEquals("file", live.lastReload().trigger());
        assertTrue(live.lastReload().error().contains(expected), live.lastReload().error());
        assertEquals(200, chat(gateway, KEY), "the running config stays");
        JsonObject reload = expect(200, new AdminClient(gateway, ADMIN_KEY).get("/status"))
                .getJsonObject("config").getJsonObject("last_reload");
        assertFalse(reload.getBoolean("ok"));
        assertTrue(reload.getString("error").contains(expected), reload.toString());
        return reload.getString("error");
    }

    private static int chat(GatewayServer gateway, String key) {
        return gateway.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode();
    }

    @Test
    void invalidTruncatedEmptiedAndDeletedFilesAreRefusedAndTheRunningConfigStays() throws Exception {
        // The poller's own thread waits an hour: the test runs its rounds itself, so nothing races them.
        try (GatewayServer gateway = GatewayServer.start(valid("1h"))) {
            LiveConfig live = (LiveConfig)gateway.contextAttribute(LiveConfig.ATTRIBUTE);
            Path file = gateway.configFile();
            assertEquals(200, chat(gateway, KEY));

            // Replaced by a file that parses but does not validate, the way an editor saves (write aside, rename).
            Path aside = file.resolveSibling("config.yaml.tmp");
            Files.writeString(aside, config("1h", "", "nonsense"));
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertRefused(gateway, live, "backends[0].flavor");

            // Cut short in the middle of a line, as by a copy that failed half-way: not even YAML.
            String whole = valid("1h");
            Files.writeString(file, whole.substring(0, whole.indexOf("endpoint")));
            String cut = assertRefused(gateway, live, file.toString());
            assertFalse(cut.isBlank());

            // Truncated to nothing.
            Files.writeString(file, "");
            assertRefused(gateway, live, "(file): is empty");

            // Deleted.
            Files.delete(file);
            assertRefused(gateway, live, "does not exist");
            assertEquals(401, chat(gateway, NEW_KEY));

            // A valid file again: it applies.
            Files.writeString(file, config("1h", "  - {name: new, keys: [\"" + NEW_KEY + "\"], models: [\"*\"]}",
                    "openai"));
            live.poll();
            assertTrue(live.lastReload().ok(), String.valueOf(live.lastReload().error()));
            assertEquals(200, chat(gateway, NEW_KEY));
            assertEquals(200, chat(gateway, KEY));
            assertTrue(expect(200, new AdminClient(gateway, ADMIN_KEY).get("/status")).getJsonObject("config")
                    .getJsonObject("last_reload").getBoolean("ok"));
        }
    }

    @Test
    void thePollerThreadNoticesADeletedFileAndItsReturn() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(valid("100ms"))) {
            LiveConfig live = (LiveConfig)gateway.contextAttribute(LiveConfig.ATTRIBUTE);
            Path file = gateway.configFile();
            Files.delete(file);
            awaitReload(live, false);
            assertTrue(live.lastReload().error().contains("does not exist"), live.lastReload().error());
            assertEquals(200, chat(gateway, KEY), "the running config stays");

            Files.writeString(file, config("100ms", "  - {name: new, keys: [\"" + NEW_KEY + "\"], models: [\"*\"]}",
                    "openai"));
            awaitReload(live, true);
            assertEquals(200, chat(gateway, NEW_KEY));
        }
    }

    /** Waits (bounded) for the poller thread's next reload to end as expected. */
    private static void awaitReload(LiveConfig live, boolean ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (live.lastReload().ok() != ok || live.lastReload().trigger().equals("startup")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the poller did not reload: " + live.lastReload());
            }
            Thread.sleep(20);
        }
    }
}
