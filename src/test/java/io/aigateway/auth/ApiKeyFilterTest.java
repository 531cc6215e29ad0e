package io.aigateway.auth;

import io.aigateway.log.RequestRecord;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys given as objects: each request is known by its tenant and key id, and an expired key is refused. */
class ApiKeyFilterTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-31T23:59:00Z"));
    static final LinkedBlockingQueue<RequestRecord> RECORDS = new LinkedBlockingQueue<>();
    static FakeBackend backend;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("live");
        gateway = GatewayServer.start("""
            tenants:
              - name: team
                models: ["*"]
                keys:
                  - sk-plain
                  - {key: sk-ci, id: ci, expires: 2027-01-01}
            backends:
              - {name: live, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(backend.url()), CLOCK);
        gateway.gateway().addRequestListener(RECORDS::add);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void theRequestRecordNamesTheKeyByItsIdNeverByTheKey() throws InterruptedException {
        RECORDS.clear();
        assertEquals(200, gateway.post("/v1/chat/completions", "sk-ci", Json.chat("gpt-4o", false)).statusCode());
        RequestRecord ci = RECORDS.poll(10, TimeUnit.SECONDS);
        assertEquals(200, gateway.post("/v1/chat/completions", "sk-plain", Json.chat("gpt-4o", false)).statusCode());
        RequestRecord plain = RECORDS.poll(10, TimeUnit.SECONDS);

        assertEquals("ci", ci.keyId());
        assertTrue(plain.keyId().matches("key-[0-9a-f]{8}"), plain.keyId());
        assertEquals(List.of("team", "team"), List.of(ci.tenant(), plain.tenant()));
    }

    @Test
    void aKeyIsRefusedFromTheInstantItExpires() {
        CLOCK.advance(Duration.ofSeconds(60));
        try {
            HttpResponse<String> expired = gateway.post("/v1/chat/completions", "sk-ci", Json.chat("gpt-4o", false));
            assertEquals(401, expired.statusCode());
            assertEquals("invalid_api_key", Json.parse(expired.body()).getJsonObject("error").getString("code"));
            assertTrue(expired.body().contains("expired"), expired.body());
            assertEquals(200, gateway.post("/v1/chat/completions", "sk-plain", Json.chat("gpt-4o", false)).statusCode());
        } finally {
            CLOCK.advance(Duration.ofSeconds(-60));
        }
    }
}
