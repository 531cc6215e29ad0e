package io.aigateway.store;

import io.aigateway.requestlog.RequestLog;
import io.aigateway.requestlog.RequestLogWriter;
import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TcpProxy;
import io.aigateway.testing.TestClock;
import io.aigateway.testing.TestDatabase;
import io.aigateway.webapp.LiveConfig;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store (a real MariaDB, reached through a forwarder the test cuts and restores, so the server itself keeps
 * running) goes away and comes back while the gateway serves: requests go on from the in-memory registry, request log
 * rows wait in the queue and are written on its return, readiness and the metrics say so, the admin API answers 503
 * in OpenAI's shape, and the poller that follows other instances' changes survives and catches up. Mandatory in CI.
 */
class StoreOutageTest {
    static final String ADMIN_KEY = "admin-store-outage";
    static final String KEY = "sk-store-outage-team";

    static FakeBackend backend;
    static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.mariadb("store_outage");
        backend = FakeBackend.start("a");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static String config(String url) {
        return """
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            reload: {poll_interval: 1h}
            request_log: {queue_size: 5}
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(url, ADMIN_KEY, KEY, backend.url());
    }

    @Test
    void theStoreGoesAwayAndComesBack() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
        TcpProxy proxy = TcpProxy.start("127.0.0.1", 3306);
        int port = proxy.port();
        String proxied = db.url().replace("127.0.0.1:3306", "127.0.0.1:" + port);
        try (GatewayServer gateway = GatewayServer.start(config(proxied), clock);
             GatewayServer other = GatewayServer.start(config(db.url()))) {
            RequestLogWriter writer = ((RequestLog)gateway.contextAttribute(RequestLog.class.getName())).writer();
            StoreHealth health = (StoreHealth)gateway.contextAttribute(StoreHealth.ATTRIBUTE);
            LiveConfig live = (LiveConfig)gateway.contextAttribute(LiveConfig.ATTRIBUTE);
            AdminClient admin = new AdminClient(gateway, ADMIN_KEY);

            assertEquals(200, chat(gateway, KEY));
            await(() -> writer.written() == 1, "the first row written");
            assertEquals(200, gateway.get("/ready", null).statusCode());

            proxy.close();

            // Requests go on from memory, at full speed: nothing on the request path waits for the database.
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, chat(gateway, KEY));
            }
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < StoreDataSource.CONNECTION_TIMEOUT
                    .toMillis(), "requests never wait for the store");
            await(() -> writer.retries() >= 1, "the writer finding the database away");
            assertFalse(health.reachable());
            // Each record is published as its request ends, just after its response: look until all three are in.
            await(() -> writer.depth() == 3, "the three rows queued, none lost");
            assertEquals(0, writer.failed());

            HttpResponse<String> notReady = gateway.get("/ready", null);
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(Json.parse(notReady.body()).getString("reason").contains("store is unreachable"),
                    notReady.body());
            String metrics = gateway.get("/metrics", null).body();
            assertTrue(Pattern.compile("(?m)^aigateway_store_up 0").matcher(metrics).find(), metrics);

            // Beyond the queue's bound (5, the batch in hand included) rows are dropped and counted: three are
            // waiting, two more fit, one does not.
            for (int i = 0; i < 3; i++) {
                assertEquals(200, chat(gateway, KEY));
            }
            await(() -> writer.dropped() == 1, "the row beyond the bound dropped");
            assertEquals(5, writer.depth());

            // The admin API says so in OpenAI's shape instead of hanging or answering 500.
            JsonObject down = error(503, admin.get("/tenants"));
            assertEquals("store_unavailable", down.getString("code"));
            error(503, admin.post("/tenants", "{\"name\":\"during\",\"models\":[\"*\"]}"));

            // Meanwhile another instance, still connected, adds a tenant; this one's poller survives the outage.
            JsonObject created = expect(201, new AdminClient(other, ADMIN_KEY).post("/tenants",
                    "{\"name\":\"late\",\"models\":[\"*\"],\"key\":{\"id\":\"k\"}}"));
            String lateKey = created.getJsonObject("key").getString("key");
            live.poll();
            assertFalse(health.reachable());
            assertEquals(401, chat(gateway, lateKey), "not yet known here");

            try (TcpProxy back = TcpProxy.start("127.0.0.1", 3306, port)) {
                // The writer's pause is timed by the gateway's clock: moving it on is enough, no waiting.
                // Moved on at every look: an attempt still running when the clock moves schedules its next try from
                // the new time.
                await(() -> {
                    clock.advance(Duration.ofMinutes(1));
                    return writer.written() == 6;
                }, "the queued rows written on the database's return");
                assertEquals(0, writer.depth());
                assertEquals(0, writer.failed());
                assertEquals(6, rows(), "one row before the outage, five queued during it");
                assertTrue(health.reachable());

                live.poll();
                assertEquals(200, chat(gateway, lateKey), "the other instance's change is followed again");
                assertEquals(200, gateway.get("/ready", null).statusCode());
                expect(200, admin.get("/tenants"));
                expect(201, admin.post("/tenants", "{\"name\":\"after\",\"models\":[\"*\"]}"));
                String after = gateway.get("/metrics", null).body();
                assertTrue(Pattern.compile("(?m)^aigateway_store_up 1").matcher(after).find(), after);
                assertTrue(Pattern.compile("(?m)^aigateway_request_log_failed_total 0").matcher(after).find(), after);
                assertTrue(Pattern.compile("(?m)^aigateway_request_log_dropped_total 1").matcher(after).find(), after);
                assertTrue(Pattern.compile("(?m)^aigateway_request_log_retries_total [1-9]").matcher(after).find(),
                        after);
            }
        } finally {
            proxy.close();
        }
    }

    private static int chat(GatewayServer gateway, String key) {
        return gateway.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode();
    }

    private static long rows() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM request_log")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
