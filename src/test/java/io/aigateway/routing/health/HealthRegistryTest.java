package io.aigateway.routing.health;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.health.CircuitBreaker.State;
import io.aigateway.routing.health.HealthEvent.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthRegistryTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final HealthRegistry registry = new HealthRegistry(clock);
    private final Map<String, Deployment> deployments =
        HealthFixtures.deployments(HealthFixtures.registry(HealthFixtures.YAML));

    private Deployment d(String id) {
        return deployments.get(id);
    }

    @Test
    void transientFailuresOpenTheBreakerOfThatDeploymentOnly() {
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.recordFailure(d("us/gpt-4o"), FailureClass.TIMEOUT);

        assertEquals(State.OPEN, registry.health(d("us/gpt-4o")).breaker().state());
        assertFalse(registry.isAvailable(d("us/gpt-4o")));
        assertTrue(registry.isAvailable(d("eu-1/gpt4o")));
        assertEquals(START.plusSeconds(10), registry.nextAvailableAt(List.of(d("us/gpt-4o"))), "its open_for");
    }

    @Test
    void aSuccessEndsTheRunOfFailures() {
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.recordSuccess(d("us/gpt-4o"));
        registry.recordFailure(d("us/gpt-4o"), FailureClass.BROKEN_CONNECTION);

        assertTrue(registry.isAvailable(d("us/gpt-4o")));
    }

    @ParameterizedTest
    @EnumSource(value = FailureClass.class, names = {"CALLER_FAULT", "RATE_LIMITED"})
    void outcomesThatAreNotTransientLeaveHealthAlone(FailureClass outcome) {
        for (int i = 0; i < 10; i++)
            registry.recordFailure(d("us/gpt-4o"), outcome);

        assertEquals(State.CLOSED, registry.health(d("us/gpt-4o")).breaker().state());
        assertTrue(registry.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void anOutcomeThatIsNotTransientGivesBackTheTrialPermit() {
        openAndWaitOut(d("us/gpt-4o"));
        assertTrue(registry.tryAcquire(d("us/gpt-4o")));
        assertFalse(registry.isAvailable(d("us/gpt-4o")));

        registry.recordFailure(d("us/gpt-4o"), FailureClass.CALLER_FAULT);

        assertEquals(State.HALF_OPEN, registry.health(d("us/gpt-4o")).breaker().state());
        assertTrue(registry.tryAcquire(d("us/gpt-4o")), "the next request may be the trial");
        registry.recordSuccess(d("us/gpt-4o"));
        assertEquals(State.CLOSED, registry.health(d("us/gpt-4o")).breaker().state());
    }

    @Test
    void aSuccessLiftsTheEndpointBench() {
        registry.recordFailure(d("eu-1/gpt4o"), FailureClass.CONNECT_FAILURE);

        registry.recordSuccess(d("eu-2/gpt-4o"));

        assertTrue(registry.isAvailable(d("eu-1/gpt4o")));
        assertTrue(registry.isAvailable(d("eu-1/mini")));
    }

    @Test
    void connectFailuresBenchTheEndpointForTheFailingBreakersOpenFor() {
        registry.recordFailure(d("us/gpt-4o"), FailureClass.CONNECT_FAILURE);

        clock.advance(Duration.ofSeconds(10).minusMillis(1));
        assertFalse(registry.isAvailable(d("us/gpt-4o")));
        clock.advance(Duration.ofMillis(1));
        assertTrue(registry.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void nonPositivePausesAreIgnored() {
        registry.bench(d("us/gpt-4o"), Duration.ZERO);
        registry.bench(d("us/gpt-4o"), Duration.ofSeconds(-5));

        assertTrue(registry.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void stateIsKeyedByIdSoItSurvivesAReload() {
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.bench(d("q-1/gpt-4o"), Duration.ofSeconds(20));

        Registry reloaded = HealthFixtures.registry(HealthFixtures.YAML);
        registry.reconfigure(reloaded);
        Map<String, Deployment> fresh = HealthFixtures.deployments(reloaded);

        assertSame(registry.health(d("us/gpt-4o")), registry.health(fresh.get("us/gpt-4o")));
        assertFalse(registry.isAvailable(fresh.get("us/gpt-4o")), "breaker still open");
        assertFalse(registry.isAvailable(fresh.get("q-2/gpt-4o-mini")), "quota group still benched");
    }

    @Test
    void aReloadTakesTheNewBreakerConfigAndKeepsTheState() {
        Deployment us = d("us/gpt-4o");
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        Instant openUntil = registry.health(us).breaker().openUntil();

        Registry reloaded = HealthFixtures.registry(HealthFixtures.YAML.replace(
            "{consecutive_failures: 2, open_for: 10s, max_open_for: 1m, half_open_calls: 1}",
            "{consecutive_failures: 4, open_for: 20s, max_open_for: 1m, half_open_calls: 1}"));
        registry.reconfigure(reloaded);
        Deployment reloadedUs = HealthFixtures.deployments(reloaded).get("us/gpt-4o");

        CircuitBreaker breaker = registry.health(reloadedUs).breaker();
        assertEquals(State.OPEN, breaker.state());
        assertEquals(openUntil, breaker.openUntil(), "an open breaker keeps the period it was given");
        assertEquals(4, breaker.config().consecutiveFailures());

        clock.advance(Duration.ofSeconds(10));
        assertTrue(registry.tryAcquire(reloadedUs));
        registry.recordSuccess(reloadedUs);
        for (int i = 0; i < 3; i++)
            registry.recordFailure(reloadedUs, FailureClass.SERVER_ERROR);
        assertEquals(State.CLOSED, breaker.state(), "3 failures are fewer than the new 4");
        registry.recordFailure(reloadedUs, FailureClass.SERVER_ERROR);
        assertEquals(clock.instant().plusSeconds(20), breaker.openUntil(), "the new open_for");
    }

    @Test
    void aReloadThatChangesTheBackendLiftsItsFlag() {
        registry.flag(d("us/gpt-4o"), "credentials refused");
        registry.flag(d("eu-2/gpt-4o"), "credentials refused");

        registry.reconfigure(HealthFixtures.registry(HealthFixtures.YAML.replace(
            "endpoint: https://us.example.com/v1\n    keys: []", "endpoint: https://us.example.com/v1\n    keys: [sk-new]")));

        assertTrue(registry.isAvailable(d("us/gpt-4o")), "its backend changed: the operator may have fixed it");
        assertFalse(registry.isAvailable(d("eu-2/gpt-4o")), "its backend did not change");
    }

    @Test
    void listenersHearEveryChange() {
        List<CircuitBreakerEvent> transitions = new ArrayList<>();
        List<HealthEvent> events = new ArrayList<>();
        registry.addBreakerListener(transitions::add);
        registry.addHealthListener(events::add);

        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        registry.bench(d("eu-1/mini"), Duration.ofSeconds(5));
        registry.bench(d("eu-1/mini"), Duration.ofSeconds(6));
        registry.bench(d("q-2/gpt-4o-mini"), Duration.ofSeconds(5));
        registry.recordFailure(d("eu-2/gpt-4o"), FailureClass.CONNECT_FAILURE);
        registry.flag(d("eu-1/gpt4o"), "deployment not found upstream");
        registry.flag(d("eu-1/gpt4o"), "deployment not found upstream");
        registry.health(d("eu-1/gpt4o")).markProbeUnhealthy();
        registry.health(d("eu-1/gpt4o")).markProbeHealthy();

        assertEquals(List.of(new CircuitBreakerEvent("us/gpt-4o", State.CLOSED, State.OPEN, START)), transitions);
        assertEquals(List.of(
            new HealthEvent(Kind.BENCHED, "eu-1/mini", START.plusSeconds(5), null, START),
            new HealthEvent(Kind.QUOTA_GROUP_BENCHED, "team", START.plusSeconds(5), null, START),
            new HealthEvent(Kind.ENDPOINT_BENCHED, "https://eu.example.com:443", START.plusSeconds(30), null, START),
            new HealthEvent(Kind.FLAGGED, "eu-1/gpt4o", null, "deployment not found upstream", START),
            new HealthEvent(Kind.PROBE_UNHEALTHY, "eu-1/gpt4o", null, null, START),
            new HealthEvent(Kind.PROBE_HEALTHY, "eu-1/gpt4o", null, null, START),
            new HealthEvent(Kind.FLAG_CLEARED, "eu-1/gpt4o", null, "active health check passed", START)), events,
            "a bench that only grows longer and a repeated flag are not news");
    }

    private void openAndWaitOut(Deployment deployment) {
        registry.recordFailure(deployment, FailureClass.SERVER_ERROR);
        registry.recordFailure(deployment, FailureClass.SERVER_ERROR);
        clock.advance(Duration.ofSeconds(10));
    }

    @Test
    void operatorStateSurvivesAReloadEvenOneThatChangesTheBackend() {
        registry.disable(d("us/gpt-4o"));
        registry.drain(d("eu-2/gpt-4o"));

        Registry reloaded = HealthFixtures.registry(HealthFixtures.YAML.replace(
            "endpoint: https://us.example.com/v1\n    keys: []", "endpoint: https://us.example.com/v1\n    keys: [sk-new]"));
        registry.reconfigure(reloaded);
        Map<String, Deployment> fresh = HealthFixtures.deployments(reloaded);

        assertEquals(OperatorState.DISABLED, registry.operatorState(fresh.get("us/gpt-4o")));
        assertEquals(OperatorState.DRAINING, registry.operatorState(fresh.get("eu-2/gpt-4o")));
        assertFalse(registry.isAvailable(fresh.get("us/gpt-4o")));
        assertFalse(registry.isAvailable(fresh.get("eu-2/gpt-4o")));
        assertTrue(registry.isAvailable(fresh.get("eu-1/gpt4o")));

        registry.enable(fresh.get("us/gpt-4o"));
        assertTrue(registry.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void disabledAndDrainingDeploymentsHaveNoReturnTimeAmongCandidates() {
        registry.disable(d("us/gpt-4o"));
        registry.drain(d("q-1/gpt-4o"));

        assertNull(registry.nextAvailableAt(List.of(d("us/gpt-4o"), d("q-1/gpt-4o"))));
        assertEquals(START, registry.nextAvailableAt(List.of(d("us/gpt-4o"), d("eu-2/gpt-4o"))));
    }

    @Test
    void resetCircuitLetsTheNextRequestThrough() {
        Deployment us = d("us/gpt-4o");
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        assertFalse(registry.isAvailable(us));

        registry.resetCircuit(us);

        assertTrue(registry.isAvailable(us));
        assertTrue(registry.tryAcquire(us));
        assertEquals(State.CLOSED, registry.health(us).breaker().state());
    }

    @Test
    void listenersHearOperatorChangesOnce() {
        List<CircuitBreakerEvent> transitions = new ArrayList<>();
        List<HealthEvent> events = new ArrayList<>();
        registry.addBreakerListener(transitions::add);
        registry.addHealthListener(events::add);
        Deployment us = d("us/gpt-4o");

        registry.enable(us);
        registry.drain(us);
        registry.drain(us);
        registry.disable(us);
        registry.enable(us);
        registry.enable(us);
        registry.resetCircuit(us);
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        registry.recordFailure(us, FailureClass.SERVER_ERROR);
        registry.resetCircuit(us);

        assertEquals(List.of(
            new HealthEvent(Kind.OPERATOR_DRAINING, "us/gpt-4o", null, null, START),
            new HealthEvent(Kind.OPERATOR_DISABLED, "us/gpt-4o", null, null, START),
            new HealthEvent(Kind.OPERATOR_ENABLED, "us/gpt-4o", null, null, START)), events,
            "setting the state it already has is not news");
        assertEquals(List.of(
            new CircuitBreakerEvent("us/gpt-4o", CircuitBreaker.Transition.CLOSED_TO_OPEN, START),
            new CircuitBreakerEvent("us/gpt-4o", CircuitBreaker.Transition.RESET_OPEN_TO_CLOSED, START)), transitions,
            "resetting a closed breaker is no transition");
    }
}
