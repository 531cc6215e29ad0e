package io.aigateway.routing.health;

import io.aigateway.registry.Deployment;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.health.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentHealthTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Map<String, Deployment> DEPLOYMENTS =
        HealthFixtures.deployments(HealthFixtures.registry(HealthFixtures.YAML));

    private final MutableClock clock = new MutableClock(START);
    private final HealthRegistry registry = new HealthRegistry(clock);

    private static Deployment d(String id) {
        Deployment deployment = DEPLOYMENTS.get(id);
        if (deployment == null)
            throw new IllegalArgumentException(id);
        return deployment;
    }

    private DeploymentHealth health(String id) {
        return registry.health(d(id));
    }

    private void assertOnly(List<String> out) {
        for (String id : DEPLOYMENTS.keySet())
            assertEquals(!out.contains(id), health(id).available(), id);
    }

    @Test
    void everyDeploymentIsAvailableAtFirst() {
        assertOnly(List.of());
        DEPLOYMENTS.keySet().forEach(id -> assertEquals(START, health(id).nextAvailableAt(), id));
    }

    @Test
    void rateLimitBenchLastsUntilTheInstantThenReadmits() {
        health("us/gpt-4o").benchUntil(START.plusSeconds(5));

        assertOnly(List.of("us/gpt-4o"));
        assertFalse(health("us/gpt-4o").tryAcquire());
        assertEquals(START.plusSeconds(5), health("us/gpt-4o").benchedUntil());

        clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertFalse(health("us/gpt-4o").available(), "1 ms before the end");

        clock.advance(Duration.ofMillis(1));
        assertTrue(health("us/gpt-4o").available());
        assertTrue(health("us/gpt-4o").tryAcquire());
        assertNull(health("us/gpt-4o").benchedUntil());
    }

    @Test
    void aBenchKeepsTheLaterOfTwoInstants() {
        health("us/gpt-4o").benchUntil(START.plusSeconds(20));
        health("us/gpt-4o").benchUntil(START.plusSeconds(5));

        clock.advance(Duration.ofSeconds(10));

        assertFalse(health("us/gpt-4o").available());
        assertEquals(START.plusSeconds(20), health("us/gpt-4o").nextAvailableAt());
    }

    @Test
    void quotaGroupBenchCoversSiblings() {
        registry.bench(d("q-1/gpt-4o"), Duration.ofSeconds(20));

        assertOnly(List.of("q-1/gpt-4o", "q-2/gpt-4o-mini"));
        assertEquals(START.plusSeconds(20), health("q-2/gpt-4o-mini").nextAvailableAt());

        clock.advance(Duration.ofSeconds(20));
        assertOnly(List.of());
    }

    @Test
    void withoutAQuotaGroupABenchCoversOnlyTheDeployment() {
        registry.bench(d("eu-1/gpt4o"), Duration.ofSeconds(20));

        assertOnly(List.of("eu-1/gpt4o"));
    }

    @Test
    void endpointBenchCoversOtherDeploymentsOnTheEndpoint() {
        registry.recordFailure(d("eu-1/gpt4o"), FailureClass.CONNECT_FAILURE);

        assertOnly(List.of("eu-1/gpt4o", "eu-1/mini", "eu-2/gpt-4o"));
        assertEquals(State.CLOSED, health("eu-1/gpt4o").breaker().state(), "one failure does not open the breaker");

        clock.advance(Duration.ofSeconds(30));
        assertOnly(List.of());
    }

    @Test
    void flaggedStaysOutUntilCleared() {
        registry.flag(d("us/gpt-4o"), "credentials refused");

        clock.advance(Duration.ofDays(1));
        assertOnly(List.of("us/gpt-4o"));
        assertFalse(health("us/gpt-4o").tryAcquire());
        assertTrue(health("us/gpt-4o").flagged());
        assertEquals("credentials refused", health("us/gpt-4o").flagReason());
        assertNull(health("us/gpt-4o").nextAvailableAt(), "no time is known");

        health("us/gpt-4o").clearFlag();
        assertOnly(List.of());
    }

    @Test
    void aPassingActiveCheckClearsTheFlag() {
        registry.flag(d("us/gpt-4o"), "deployment not found upstream");

        health("us/gpt-4o").markProbeHealthy();

        assertTrue(health("us/gpt-4o").available());
        assertFalse(health("us/gpt-4o").flagged());
    }

    @Test
    void failingActiveChecksKeepItOutUntilTheyPass() {
        health("us/gpt-4o").markProbeUnhealthy();

        clock.advance(Duration.ofDays(1));
        assertOnly(List.of("us/gpt-4o"));
        assertFalse(health("us/gpt-4o").probeHealthy());
        assertNull(health("us/gpt-4o").nextAvailableAt());

        health("us/gpt-4o").markProbeHealthy();
        assertOnly(List.of());
    }

    @Test
    void availableHasNoSideEffectsButTryAcquireTakesTheTrialPermit() {
        DeploymentHealth us = health("us/gpt-4o");
        us.breaker().onFailure();
        us.breaker().onFailure();
        clock.advance(Duration.ofSeconds(10));

        assertTrue(us.available());
        assertTrue(us.available());
        assertEquals(State.OPEN, us.breaker().state());

        assertTrue(us.tryAcquire());
        assertEquals(State.HALF_OPEN, us.breaker().state());
        assertFalse(us.available(), "its one trial is taken");
        assertNull(us.nextAvailableAt(), "half open with every trial running: no time is known");

        us.release();
        assertTrue(us.available());
    }

    @Test
    void nextAvailableAtIsTheSoonest() {
        DeploymentHealth us = health("us/gpt-4o");
        us.benchUntil(START.plusSeconds(5));
        us.breaker().onFailure();
        us.breaker().onFailure();
        assertEquals(START.plusSeconds(10), us.nextAvailableAt(), "the later of its own bench and its open breaker");

        registry.bench(d("q-1/gpt-4o"), Duration.ofSeconds(7));
        registry.flag(d("eu-2/gpt-4o"), "credentials refused");
        List<Deployment> candidates = List.of(d("us/gpt-4o"), d("q-1/gpt-4o"), d("eu-2/gpt-4o"));
        assertEquals(START.plusSeconds(7), registry.nextAvailableAt(candidates), "the soonest of the candidates");

        assertNull(registry.nextAvailableAt(List.of(d("eu-2/gpt-4o"))), "a flagged deployment has no time");
        assertEquals(START, registry.nextAvailableAt(List.of(d("us/gpt-4o"), d("eu-1/mini"))), "one is available now");
    }

    @Test
    void startsEnabled() {
        DEPLOYMENTS.keySet().forEach(id -> assertEquals(OperatorState.ENABLED, health(id).operatorState(), id));
    }

    @Test
    void disabledTakesNoTrafficAndHasNoReturnTime() {
        DeploymentHealth us = health("us/gpt-4o");

        us.setOperatorState(OperatorState.DISABLED);

        assertOnly(List.of("us/gpt-4o"));
        assertFalse(us.tryAcquire());
        assertNull(us.nextAvailableAt(), "only an operator brings it back");
        clock.advance(Duration.ofDays(1));
        assertFalse(us.available(), "time does not");
    }

    @Test
    void drainingTakesNoNewRequestsButThoseAdmittedStillCount() {
        DeploymentHealth us = health("us/gpt-4o");
        assertTrue(us.tryAcquire(), "a request in flight when draining starts");

        us.setOperatorState(OperatorState.DRAINING);

        assertOnly(List.of("us/gpt-4o"));
        assertFalse(us.tryAcquire());
        assertNull(us.nextAvailableAt());
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        assertEquals(State.OPEN, us.breaker().state(), "outcomes of requests in flight still reach its breaker");
    }

    @Test
    void enablingReturnsItToItsHealth() {
        DeploymentHealth us = health("us/gpt-4o");
        DeploymentHealth eu = health("eu-2/gpt-4o");
        us.setOperatorState(OperatorState.DISABLED);
        eu.setOperatorState(OperatorState.DRAINING);
        us.flag("credentials refused");

        us.setOperatorState(OperatorState.ENABLED);
        eu.setOperatorState(OperatorState.ENABLED);

        assertTrue(eu.available());
        assertEquals(START, eu.nextAvailableAt());
        assertFalse(us.available(), "enabling does not lift a flag");
        us.clearFlag();
        assertTrue(us.available());
    }
}
