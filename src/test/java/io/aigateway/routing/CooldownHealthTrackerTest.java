package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.config.ConfigLoader;
import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CooldownHealthTrackerTest {
    private static final Map<String, Deployment> DEPLOYMENTS = deployments("""
        backends:
          - name: eu-1
            flavor: azure
            endpoint: https://eu.example.com
            keys: []
            deployments:
              - {name: gpt4o, model: gpt-4o}
              - {name: mini, model: gpt-4o-mini}
          - name: eu-2
            flavor: openai
            endpoint: https://EU.example.com:443/v1
            keys: []
            models: [gpt-4o]
          - name: eu-http
            flavor: openai
            endpoint: http://eu.example.com/v1
            keys: []
            models: [gpt-4o]
          - name: eu-8443
            flavor: openai
            endpoint: https://eu.example.com:8443/v1
            keys: []
            models: [gpt-4o]
          - name: us
            flavor: openai
            endpoint: https://us.example.com/v1
            keys: []
            models: [gpt-4o]
        """);

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final CooldownHealthTracker tracker =
        new CooldownHealthTracker(clock, CooldownHealthTracker.DEFAULT_COOLDOWN);

    @Test
    void defaultCooldownIsThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), CooldownHealthTracker.DEFAULT_COOLDOWN);
    }

    @Test
    void everyDeploymentIsAvailableBeforeAnyFailure() {
        DEPLOYMENTS.values().forEach(d -> assertTrue(tracker.isAvailable(d), d.id()));
    }

    @Test
    void serverErrorTakesOutOnlyThatDeployment() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.SERVER_ERROR);

        assertFalse(tracker.isAvailable(d("eu-1/gpt4o")));
        for (String other : List.of("eu-1/mini", "eu-2/gpt-4o", "eu-http/gpt-4o", "eu-8443/gpt-4o", "us/gpt-4o")) {
            assertTrue(tracker.isAvailable(d(other)), other);
        }
    }

    @Test
    void serverErrorCooldownEndsAfterExactlyThirtySeconds() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.SERVER_ERROR);

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertFalse(tracker.isAvailable(d("eu-1/gpt4o")), "still cooling down 1 ms before the end");

        clock.advance(Duration.ofMillis(1));
        assertTrue(tracker.isAvailable(d("eu-1/gpt4o")), "back after exactly 30 s");
    }

    @Test
    void aLaterFailureRestartsTheCooldown() {
        tracker.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);
        clock.advance(Duration.ofSeconds(20));
        tracker.recordFailure(d("us/gpt-4o"), FailureClass.TIMEOUT);

        clock.advance(Duration.ofSeconds(20));
        assertFalse(tracker.isAvailable(d("us/gpt-4o")));

        clock.advance(Duration.ofSeconds(10));
        assertTrue(tracker.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void cooldownLengthComesFromTheConstructor() {
        CooldownHealthTracker shortTracker = new CooldownHealthTracker(clock, Duration.ofSeconds(5));
        shortTracker.recordFailure(d("us/gpt-4o"), FailureClass.SERVER_ERROR);

        clock.advance(Duration.ofSeconds(5));

        assertTrue(shortTracker.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void connectFailureTakesOutEveryDeploymentOnTheSameEndpoint() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.CONNECT_FAILURE);

        assertFalse(tracker.isAvailable(d("eu-1/gpt4o")));
        assertFalse(tracker.isAvailable(d("eu-1/mini")), "same backend");
        assertFalse(tracker.isAvailable(d("eu-2/gpt-4o")), "another backend on https://eu.example.com:443");
    }

    @Test
    void connectFailureLeavesOtherEndpointsAvailable() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.CONNECT_FAILURE);

        assertTrue(tracker.isAvailable(d("eu-http/gpt-4o")), "other scheme");
        assertTrue(tracker.isAvailable(d("eu-8443/gpt-4o")), "other port");
        assertTrue(tracker.isAvailable(d("us/gpt-4o")), "other host");
    }

    @Test
    void endpointCooldownEndsAfterExactlyThirtySeconds() {
        tracker.recordFailure(d("eu-2/gpt-4o"), FailureClass.CONNECT_FAILURE);

        clock.advance(Duration.ofMillis(29_999));
        assertFalse(tracker.isAvailable(d("eu-1/mini")));

        clock.advance(Duration.ofMillis(1));
        assertTrue(tracker.isAvailable(d("eu-1/mini")));
        assertTrue(tracker.isAvailable(d("eu-2/gpt-4o")));
    }

    @Test
    void successClearsTheDeploymentCooldown() {
        tracker.recordFailure(d("us/gpt-4o"), FailureClass.BROKEN_CONNECTION);

        tracker.recordSuccess(d("us/gpt-4o"));

        assertTrue(tracker.isAvailable(d("us/gpt-4o")));
    }

    @Test
    void successOnAnyDeploymentOfTheEndpointClearsTheEndpointCooldown() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.CONNECT_FAILURE);

        tracker.recordSuccess(d("eu-2/gpt-4o"));

        assertTrue(tracker.isAvailable(d("eu-1/gpt4o")));
        assertTrue(tracker.isAvailable(d("eu-1/mini")));
    }

    @Test
    void successOfOneDeploymentDoesNotClearAnotherDeploymentsCooldown() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.SERVER_ERROR);

        tracker.recordSuccess(d("eu-1/mini"));

        assertFalse(tracker.isAvailable(d("eu-1/gpt4o")));
    }

    @ParameterizedTest
    @EnumSource(value = FailureClass.class, names = {"SUCCESS", "CALLER_FAULT", "RATE_LIMITED"})
    void outcomesThatAreNotTheBackendsFaultDoNotCount(FailureClass outcome) {
        for (int i = 0; i < 10; i++) {
            tracker.recordFailure(d("eu-1/gpt4o"), outcome);
        }

        DEPLOYMENTS.values().forEach(d -> assertTrue(tracker.isAvailable(d), d.id()));
    }

    @ParameterizedTest
    @EnumSource(value = FailureClass.class, names = {"SERVER_ERROR", "TIMEOUT", "BROKEN_CONNECTION"})
    void deploymentFailuresTakeOutOnlyTheDeployment(FailureClass failure) {
        tracker.recordFailure(d("eu-1/gpt4o"), failure);

        assertFalse(tracker.isAvailable(d("eu-1/gpt4o")));
        assertTrue(tracker.isAvailable(d("eu-1/mini")));
        assertTrue(tracker.isAvailable(d("eu-2/gpt-4o")));
    }

    @Test
    void stateIsKeyedByIdAndEndpointSoItSurvivesAReload() {
        tracker.recordFailure(d("eu-1/gpt4o"), FailureClass.SERVER_ERROR);
        tracker.recordFailure(d("us/gpt-4o"), FailureClass.CONNECT_FAILURE);
        Map<String, Deployment> reloaded = deployments("""
            backends:
              - name: eu-1
                flavor: azure
                endpoint: https://eu.example.com
                keys: []
                deployments:
                  - {name: gpt4o, model: gpt-4o}
              - name: us-renamed
                flavor: openai
                endpoint: https://us.example.com:443/v1
                keys: []
                models: [gpt-4o]
            """);

        assertFalse(tracker.isAvailable(reloaded.get("eu-1/gpt4o")));
        assertFalse(tracker.isAvailable(reloaded.get("us-renamed/gpt-4o")));
    }

    private static Deployment d(String id) {
        Deployment deployment = DEPLOYMENTS.get(id);
        if (deployment == null) {
            throw new IllegalArgumentException("no deployment " + id);
        }
        return deployment;
    }

    private static Map<String, Deployment> deployments(String yaml) {
        Registry registry = Registry.of(new ConfigLoader(name -> null).parse(yaml, "test"));
        Map<String, Deployment> byId = new HashMap<>();
        for (Backend backend : registry.backends()) {
            for (Deployment deployment : backend.deployments()) {
                byId.put(deployment.id(), deployment);
            }
        }
        return byId;
    }
}
