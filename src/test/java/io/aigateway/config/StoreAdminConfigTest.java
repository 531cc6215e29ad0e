package io.aigateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store, admin, request_log and reload sections: defaults, values, and every problem with its path. */
class StoreAdminConfigTest {
    private static final String BASE = """
            tenants: [{name: a, keys: [tenant-key], models: ["*"]}]
            backends: [{name: b, flavor: openai, endpoint: "https://api.openai.com/v1", models: [gpt-4o]}]
            """;
    private static final ConfigLoader LOADER = new ConfigLoader(Map.of("DB_PASSWORD", "pw", "MK", "bWFzdGVy")::get);

    @Test
    void absentSectionsTakeTheirDefaults() {
        GatewayConfig config = LOADER.parse(BASE, "test");
        assertNull(config.store().url());
        assertEquals(StoreConfig.DEFAULT_JNDI, config.store().jndi());
        assertEquals("/admin", config.admin().path());
        assertTrue(config.admin().keys().isEmpty());
        assertTrue(config.requestLog().enabled());
        assertEquals(30, config.requestLog().retentionDays());
        assertEquals(10_000, config.requestLog().queueSize());
        assertFalse(config.requestLog().captureBodies());
        assertEquals(16_384, config.requestLog().maxBodyBytes());
        assertFalse(config.requestLog().capturesBodies(config.tenants().get(0)));
        assertNull(config.tenants().get(0).captureBodies());
        assertTrue(config.reload().watch());
        assertEquals(Duration.ofSeconds(5), config.reload().pollInterval());
    }

    @Test
    void sectionsAreBoundWithEnvironmentSubstitution() {
        GatewayConfig config = LOADER.parse(BASE + """
                store: {url: "jdbc:mariadb://db:3306/gw", user: gw, password: "${env:DB_PASSWORD}", jndi: "java:comp/env/jdbc/other", master_key: "${env:MK}"}
                admin: {path: /ops, keys: [{key: admin-key, id: ops}]}
                request_log: {enabled: false, retention_days: 7, queue_size: 50}
                reload: {watch: false, poll_interval: 2s}
                """, "test");
        assertEquals("jdbc:mariadb://db:3306/gw", config.store().url());
        assertEquals("pw", config.store().password());
        assertEquals("bWFzdGVy", config.store().masterKey());
        assertFalse(config.store().toString().contains("pw"), "the password is never printed");
        assertEquals("/ops", config.admin().path());
        assertEquals("ops", config.admin().keys().get(0).id());
        assertTrue(config.admin().keys().get(0).hash().matches(KeyHash.ofRawKey("admin-key")));
        assertEquals(new RequestLogConfig(false, 7, 50), config.requestLog());
        assertEquals(new ReloadConfig(false, Duration.ofSeconds(2)), config.reload());
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        ConfigException x = assertThrows(ConfigException.class, () -> LOADER.parse(BASE + """
                store: {url: "mariadb://db", colour: red}
                admin: {path: /v1/admin, keys: [tenant-key, k2, k2]}
                request_log: {retention_days: 0, queue_size: -1, capture_bodies: sometimes, max_body_bytes: 0}
                reload: {poll_interval: 0s}
                """, "test"));
        List<String> problems = x.problems().stream().map(ConfigProblem::toString).toList();
        for (String expected : List.of("store.colour: unknown field", "store.url: must be a JDBC URL",
                "admin.path: '/v1/admin' is served by the gateway itself", "admin.keys[2]: duplicate key",
                "request_log.retention_days: must be at least 1", "request_log.queue_size: must be at least 1",
                "request_log.capture_bodies: must be true or false", "request_log.max_body_bytes: must be at least 1",
                "reload.poll_interval: must be greater than zero")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), expected + " in " + problems);
        }
    }

    @Test
    void bodyCaptureIsGlobalWithAPerTenantOverride() {
        GatewayConfig config = LOADER.parse("""
                request_log: {capture_bodies: true, max_body_bytes: 512}
                tenants:
                  - {name: inherits, keys: [k1], models: ["*"]}
                  - {name: opts-out, keys: [k2], models: ["*"], capture_bodies: false}
                backends: [{name: b, flavor: openai, endpoint: "https://api.openai.com/v1", models: [gpt-4o]}]
                """, "test");
        assertEquals(new RequestLogConfig(true, 30, 10_000, true, 512), config.requestLog());
        assertTrue(config.requestLog().capturesBodies(config.tenants().get(0)));
        assertEquals(Boolean.FALSE, config.tenants().get(1).captureBodies());
        assertFalse(config.requestLog().capturesBodies(config.tenants().get(1)));

        GatewayConfig off = LOADER.parse("""
                request_log: {enabled: false, capture_bodies: true}
                tenants: [{name: opts-in, keys: [k1], models: ["*"], capture_bodies: true}]
                backends: [{name: b, flavor: openai, endpoint: "https://api.openai.com/v1", models: [gpt-4o]}]
                """, "test");
        assertFalse(off.requestLog().capturesBodies(off.tenants().get(0)), "no capture without a request log");

        ConfigException x = assertThrows(ConfigException.class, () -> LOADER.parse("""
                tenants: [{name: a, keys: [k1], models: ["*"], capture_bodies: 3}]
                backends: [{name: b, flavor: openai, endpoint: "https://api.openai.com/v1", models: [gpt-4o]}]
                """, "test"));
        assertTrue(x.problems().get(0).toString().startsWith("tenants[0].capture_bodies: must be true or false"),
                x.problems().toString());
    }

    @Test
    void anAdminKeyMustNotAlsoBeATenantKey() {
        ConfigException x = assertThrows(ConfigException.class, () -> LOADER.parse(BASE + """
                admin: {keys: [tenant-key]}
                """, "test"));
        assertEquals("admin.keys[0]: is also a key of tenant 'a' (admin keys must be separate)",
                x.problems().get(0).toString());
    }

    @Test
    void aBackendAloneIsBoundWithPathsRelativeToIt() {
        BackendConfig backend = ConfigParts.backend(
                "{\"name\":\"x\",\"flavor\":\"azure\",\"endpoint\":\"https://x.example.com\",\"models\":[\"m\"]}", "body");
        assertEquals(BackendConfig.DEFAULT_AZURE_API_VERSION, backend.apiVersion());
        ConfigException x = assertThrows(ConfigException.class, () -> ConfigParts.backend(
                "{\"name\":\"x\",\"flavor\":\"openai\",\"endpoint\":\"https://x\",\"keys\":[\"${env:HOME}\"],\"models\":[\"m\"]}",
                "body"));
        assertTrue(x.problems().get(0).toString().startsWith("keys[0]: "), x.problems().toString());
    }
}
