package io.aigateway.store;

import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigParts;
import io.aigateway.config.KeyHash;
import io.aigateway.config.TenantConfig;
import io.aigateway.testing.TestClock;
import io.aigateway.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same store tests on embedded H2 (MariaDB mode) and on a real MariaDB, both through the same migrations. */
class StoreRepositoryTest {
    private static final String RAW_BACKEND_KEY = "sk-upstream-secret-123456";
    private static final SecretBox BOX = new SecretBox(new byte[32]);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void tenantsAndKeysRoundTripWithAuditAndVersion(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, "store_tenants"); Store store = Store.open(db.dataSource())) {
            StoreRepository repository = new StoreRepository(store, BOX, clock);
            assertEquals(0, repository.version());
            KeyHash hash = KeyHash.ofRawKey("gw-key-1");
            repository.createTenant(change("create"), "acme", List.of("gpt-4o"),
                    new StoreContents.TenantLimits("{\"rpm\":10}", null, null, null),
                    new StoreRepository.NewKey("k1", hash.hex(), "gw-key-", null, null, null));
            clock.advance(Duration.ofMinutes(1));
            repository.addKey(change("create_key"), "acme", new StoreRepository.NewKey("k2",
                    KeyHash.ofRawKey("gw-key-2").hex(), "gw-key-", Instant.parse("2027-01-01T00:00:00Z"), "{\"tpm\":1000}",
                    "{\"requests\":50,\"reset\":\"0 0 * * *\"}"));

            StoreContents contents = repository.load();
            assertEquals(2, contents.version());
            StoreContents.StoredTenant acme = contents.tenant("acme");
            assertEquals(List.of("gpt-4o"), acme.models());
            assertEquals("{\"rpm\":10}", acme.limits().limits());
            assertEquals(Instant.parse("2026-01-01T00:00:00Z"), acme.created());
            TenantConfig config = acme.toConfig();
            assertEquals(2, config.keys().size());
            assertTrue(config.key("k1").hash().matches(hash));
            assertEquals(Instant.parse("2027-01-01T00:00:00Z"), config.key("k2").expires());
            assertEquals("{\"tpm\":1000}", acme.key("k2").limitsJson());
            // Bound by the config file's binder: the stored limits are the running tenant's.
            assertEquals(10L, config.limits().rpm());
            assertEquals(1000L, config.key("k2").limits().tpm());
            assertEquals(50L, config.key("k2").quota().requests());
            assertEquals("0 0 * * *", config.key("k2").quota().reset());

            repository.revokeKey(change("revoke_key"), "acme", "k1");
            acme = repository.load().tenant("acme");
            assertNotNull(acme.key("k1").revoked());
            assertNull(acme.toConfig().key("k1"));

            repository.updateTenant(change("update"), "acme", List.of("*"),
                    new StoreContents.TenantLimits(null, "{\"gpt-4o\":{\"tpm\":500}}", "{\"tokens\":1000}",
                            "[\"eu\"]"));
            acme = repository.load().tenant("acme");
            assertEquals(List.of("*"), acme.models());
            config = acme.toConfig();
            assertFalse(config.limits().isLimited());
            assertEquals(500L, config.modelLimits().get("gpt-4o").tpm());
            assertEquals(1000L, config.quota().tokens());
            assertEquals(List.of("eu"), config.backendGroups());
            repository.deleteTenant(change("delete"), "acme");
            assertNull(repository.load().tenant("acme"));
            assertEquals(5, repository.version());

            List<AuditRow> audit = repository.auditLog(null, 10);
            assertEquals(List.of("delete", "update", "revoke_key", "create_key", "create"),
                    audit.stream().map(AuditRow::action).toList());
            assertEquals("admin-1", audit.get(0).actor());
            assertEquals(List.of("create"), repository.auditLog(audit.get(3).id(), 10).stream().map(AuditRow::action).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void backendKeysAreSealedAtRestAndOpenedOnLoad(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, "store_backends"); Store store = Store.open(db.dataSource())) {
            StoreRepository repository = new StoreRepository(store, BOX, clock);
            String spec = "{\"name\":\"azure-eu\",\"flavor\":\"azure\",\"endpoint\":\"https://eu.example.com\","
                    + "\"deployments\":[{\"name\":\"gpt4o-eu\",\"model\":\"gpt-4o\"}]}";
            BackendConfig backend = ConfigParts.backend(spec, "test");
            repository.saveBackend(change("create"), true, backend, spec, List.of(RAW_BACKEND_KEY));

            StoreContents.StoredBackend stored = repository.load().backend("azure-eu");
            assertEquals(List.of(RAW_BACKEND_KEY), stored.config().keys());
            assertEquals("gpt4o-eu", stored.config().deployments().get(0).name());

            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                ResultSet rows = statement.executeQuery("SELECT spec_json, keys_sealed FROM backends");
                assertTrue(rows.next());
                assertFalse(rows.getString(1).contains(RAW_BACKEND_KEY));
                assertFalse(rows.getString(2).contains(RAW_BACKEND_KEY));
                assertTrue(rows.getString(2).startsWith("v1:"));
                ResultSet deployments = statement.executeQuery("SELECT name, model FROM deployments");
                assertTrue(deployments.next());
                assertEquals("gpt-4o", deployments.getString(2));
            }
            // Another master key cannot open them: a dump without the key is useless.
            StoreRepository otherKey = new StoreRepository(store, new SecretBox(Base64.getDecoder().decode(
                    "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")), clock);
            assertThrows(IllegalArgumentException.class, otherKey::load);

            repository.deleteBackend(change("delete"), "azure-eu");
            assertTrue(repository.load().backends().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void migrationsAreIdempotentAcrossRestarts(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, "store_restart")) {
            try (Store store = Store.open(db.dataSource())) {
                new StoreRepository(store, BOX, clock).createTenant(change("create"), "acme", List.of("*"),
                        StoreContents.TenantLimits.NONE,
                        new StoreRepository.NewKey("k1", KeyHash.ofRawKey("x").hex(), "x", null, null, null));
            }
            try (Store store = Store.open(db.dataSource())) {
                assertNotNull(new StoreRepository(store, BOX, clock).load().tenant("acme"));
            }
        }
    }

    private static StoreRepository.Change change(String action) {
        return new StoreRepository.Change("admin-1", action, "tenant", "acme", null, "{}");
    }
}
