package io.aigateway.registry;

import io.aigateway.config.ConfigLoader;
import io.aigateway.config.KeyHash;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    /** The tenant key "hashed-key", written in the config in its hashed form. */
    private static final String HASHED_KEY = "sha256:" + KeyHash.ofRawKey("hashed-key").hex();

    private static final Registry REGISTRY = Registry.of(new ConfigLoader(name -> null).parse("""
        tenants:
          - name: team-a
            keys: [key-a-1, key-a-2]
            models: [gpt-4o, fast]
          - name: eu-only
            keys: ["%s"]
            models: [gpt-4o-eu]
          - name: ops
            keys: [ops-key]
            models: ["*"]
        backends:
          - name: azure-eu
            flavor: azure
            endpoint: https://eu.openai.azure.com/
            keys: [eu-key-1, eu-key-2, eu-key-3]
            deployments:
              - {name: gpt4o-eu, model: gpt-4o}
          - name: openai
            flavor: openai
            endpoint: https://api.openai.com/v1
            keys: [sk-one]
            models: [gpt-4o, gpt-4o-mini]
          - name: old
            flavor: openai
            endpoint: http://old.internal:8000/v1
            keys: []
            enabled: false
            models: [legacy, gpt-4o]
        models:
          aliases:
            fast: gpt-4o-mini
            gpt-4o-eu: azure-eu:gpt-4o
            legacy-pinned: old:legacy
        """.formatted(HASHED_KEY), "test"));

    @Test
    void routesAPublicModelToEveryEnabledDeploymentInConfigOrder() {
        ModelRoute route = REGISTRY.route("gpt-4o");

        assertEquals("gpt-4o", route.publicModel());
        assertEquals(List.of("azure-eu/gpt4o-eu", "openai/gpt-4o"), ids(route.candidates()));
    }

    @Test
    void deploymentKnowsItsUpstreamNamePublicModelAndBackend() {
        Deployment deployment = REGISTRY.route("gpt-4o").candidates().get(0);

        assertEquals("gpt4o-eu", deployment.name());
        assertEquals("gpt-4o", deployment.model());
        assertEquals("azure-eu", deployment.backend().name());
        assertEquals(1, deployment.weight());
        assertEquals(0, deployment.priority());
    }

    @Test
    void aliasRoutesToTheDeploymentsOfItsTarget() {
        ModelRoute route = REGISTRY.route("fast");

        assertEquals("fast", route.publicModel());
        assertEquals(List.of("openai/gpt-4o-mini"), ids(route.candidates()));
    }

    @Test
    void pinnedAliasRoutesOnlyToThatBackendsDeployments() {
        ModelRoute route = REGISTRY.route("gpt-4o-eu");

        assertEquals("gpt-4o-eu", route.publicModel());
        assertEquals(List.of("azure-eu/gpt4o-eu"), ids(route.candidates()));
    }

    @Test
    void modelsOfDisabledBackendsExistWithoutCandidates() {
        ModelRoute route = REGISTRY.route("legacy");

        assertNotNull(route);
        assertTrue(route.candidates().isEmpty());
        assertTrue(REGISTRY.route("legacy-pinned").candidates().isEmpty());
    }

    @Test
    void disabledBackendIsNeverACandidate() {
        for (String model : REGISTRY.publicModels()) {
            for (Deployment deployment : REGISTRY.route(model).candidates()) {
                assertNotEquals("old", deployment.backend().name(), model + " -> " + deployment);
            }
        }
    }

    @Test
    void disabledBackendIsStillListedWithItsDeployments() {
        Backend old = REGISTRY.backends().get(2);

        assertEquals("old", old.name());
        assertFalse(old.config().enabled());
        assertEquals(List.of("old/legacy", "old/gpt-4o"), ids(old.deployments()));
    }

    @Test
    void unknownModelHasNoRoute() {
        assertNull(REGISTRY.route("gpt-5"));
        assertNull(REGISTRY.route("azure-eu:gpt-4o"));
    }

    @Test
    void publicModelsAreEveryModelAndAliasSorted() {
        assertEquals(List.of("fast", "gpt-4o", "gpt-4o-eu", "gpt-4o-mini", "legacy", "legacy-pinned"),
            new ArrayList<>(REGISTRY.publicModels()));
    }

    @Test
    void findsTheTenantByTheHashOfARawKey() {
        assertEquals("team-a", REGISTRY.tenantForKey(KeyHash.ofRawKey("key-a-1")).name());
        assertEquals("team-a", REGISTRY.tenantForKey(KeyHash.ofRawKey("key-a-2")).name());
        assertEquals("ops", REGISTRY.tenantForKey(KeyHash.ofRawKey("ops-key")).name());
        assertSame(REGISTRY.tenants().get("team-a"), REGISTRY.tenantForKey(KeyHash.ofRawKey("key-a-1")));
    }

    @Test
    void findsTheTenantOfAKeyConfiguredInHashedForm() {
        assertEquals("eu-only", REGISTRY.tenantForKey(KeyHash.ofRawKey("hashed-key")).name());
    }

    @Test
    void unknownKeyHasNoTenant() {
        assertNull(REGISTRY.tenantForKey(KeyHash.ofRawKey("key-a-3")));
        assertNull(REGISTRY.tenantForKey(KeyHash.ofRawKey("")));
        assertNull(REGISTRY.tenantForKey(KeyHash.ofRawKey("sk-one")), "a backend key is not a tenant key");
    }

    @Test
    void tenantsAreListedByNameInConfigOrder() {
        assertEquals(List.of("team-a", "eu-only", "ops"), new ArrayList<>(REGISTRY.tenants().keySet()));
    }

    @Test
    void tenantAllowsOnlyItsModelsOrEveryModelWithStar() {
        Tenant teamA = REGISTRY.tenants().get("team-a");
        Tenant ops = REGISTRY.tenants().get("ops");

        assertTrue(teamA.allows("gpt-4o"));
        assertTrue(teamA.allows("fast"));
        assertFalse(teamA.allows("gpt-4o-mini"), "the alias does not grant its target");
        assertFalse(teamA.allows("gpt-4o-eu"));
        assertTrue(ops.allows("gpt-4o-mini"));
        assertTrue(ops.allows("legacy"));
    }

    @Test
    void deploymentsForATenantAreThoseOfItsModelsAndAliasesEachOnce() {
        List<Deployment> deployments = REGISTRY.deploymentsFor(REGISTRY.tenants().get("team-a"));

        assertEquals(Set.of("azure-eu/gpt4o-eu", "openai/gpt-4o", "openai/gpt-4o-mini"), idSet(deployments));
        assertEquals(3, deployments.size(), "no duplicates: " + deployments);
    }

    @Test
    void deploymentsForATenantOfAPinnedAliasAreOnlyThatBackends() {
        List<Deployment> deployments = REGISTRY.deploymentsFor(REGISTRY.tenants().get("eu-only"));

        assertEquals(List.of("azure-eu/gpt4o-eu"), ids(deployments));
    }

    @Test
    void deploymentsForAStarTenantAreEveryEnabledDeployment() {
        List<Deployment> deployments = REGISTRY.deploymentsFor(REGISTRY.tenants().get("ops"));

        assertEquals(Set.of("azure-eu/gpt4o-eu", "openai/gpt-4o", "openai/gpt-4o-mini"), idSet(deployments));
        assertEquals(3, deployments.size(), "no duplicates: " + deployments);
    }

    @Test
    void keyRingHandsOutKeysInTurn() {
        KeyRing keys = backend("azure-eu").keys();

        List<String> handedOut = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            handedOut.add(keys.next());
        }

        assertEquals(3, keys.size());
        assertEquals(List.of("eu-key-1", "eu-key-2", "eu-key-3", "eu-key-1", "eu-key-2", "eu-key-3", "eu-key-1"),
            handedOut);
    }

    @Test
    void keyRingWithOneKeyAlwaysHandsOutThatKey() {
        KeyRing keys = backend("openai").keys();

        assertEquals("sk-one", keys.next());
        assertEquals("sk-one", keys.next());
        assertFalse(keys.isEmpty());
    }

    @Test
    void keyRingWithoutKeysHandsOutNull() {
        KeyRing keys = backend("old").keys();

        assertTrue(keys.isEmpty());
        assertEquals(0, keys.size());
        assertNull(keys.next());
    }

    @Test
    void keyRingToStringCountsTheKeysAndNeverPrintsOne() {
        KeyRing keys = backend("azure-eu").keys();

        assertTrue(keys.toString().startsWith("KeyRing[3 keys"), keys.toString());
        for (String printed : List.of(keys.toString(), backend("azure-eu").toString(),
                backend("azure-eu").config().toString())) {
            assertFalse(printed.contains("eu-key"), printed);
        }
    }

    @Test
    void endpointHasNoTrailingSlashAndEndpointKeyIsSchemeHostAndPort() {
        assertEquals("https://eu.openai.azure.com", backend("azure-eu").endpoint());
        assertEquals("https://eu.openai.azure.com:443", backend("azure-eu").endpointKey());
        assertEquals("https://api.openai.com/v1", backend("openai").endpoint());
        assertEquals("https://api.openai.com:443", backend("openai").endpointKey());
        assertEquals("http://old.internal:8000", backend("old").endpointKey());
    }

    private static Backend backend(String name) {
        return REGISTRY.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> ids(List<Deployment> deployments) {
        return deployments.stream().map(Deployment::id).toList();
    }

    private static Set<String> idSet(List<Deployment> deployments) {
        return new HashSet<>(ids(deployments));
    }
}
