package io.aigateway.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which notifications each real health and breaker event gives. In {@link NotifierTestSupport#GATEWAY},
 * {@code gpt-4o-mini} is served by backend a alone and {@code gpt-4o} by a and b.
 */
class EventTranslatorTest {
    private final TestClock clock = new TestClock();
    private final Registry registry = Registry.of(NotifierTestSupport.GATEWAY);
    private final HealthRegistry health = new HealthRegistry(clock);
    private final EventTranslator translator = new EventTranslator(() -> registry, health);
    private final List<Object> events = new ArrayList<>();

    private Deployment aMini;
    private Deployment aGpt4o;
    private Deployment bGpt4o;

    @BeforeEach
    void subscribe() {
        health.reconfigure(registry);
        health.addBreakerListener(events::add);
        health.addHealthListener(events::add);
        aMini = registry.route("gpt-4o-mini").candidates().get(0);
        aGpt4o = registry.route("gpt-4o").candidates().get(0);
        bGpt4o = registry.route("gpt-4o").candidates().get(1);
    }

    /** What the events published since the last call give, as "event subject" lines. */
    private List<String> notifications() {
        List<String> out = new ArrayList<>();
        for (Object event : events) {
            for (Notification notification : translator.translate(event)) {
                out.add(notification.key());
            }
        }
        events.clear();
        return out;
    }

    @Test
    void anOpenedBreakerOfTheOnlyDeploymentMakesItsModelUnavailable() {
        health.recordFailure(aMini, FailureClass.SERVER_ERROR);

        assertEquals(List.of("circuit_opened a/gpt-4o-mini", "model_unavailable gpt-4o-mini"), notifications());
    }

    @Test
    void aModelWithAnotherDeploymentLeftIsNotUnavailable() {
        health.recordFailure(aGpt4o, FailureClass.SERVER_ERROR);

        assertEquals(List.of("circuit_opened a/gpt-4o"), notifications());

        health.health(bGpt4o).markProbeUnhealthy();
        assertEquals(List.of("deployment_down b/gpt-4o", "model_unavailable gpt-4o"), notifications());
    }

    @Test
    void aBreakerClosingAfterATrialIsARecovery() {
        health.recordFailure(aMini, FailureClass.SERVER_ERROR);
        notifications();
        clock.advance(Duration.ofMinutes(10));
        assertTrue(health.tryAcquire(aMini), "half open: a trial");
        health.recordSuccess(aMini);

        assertEquals(List.of("deployment_recovered a/gpt-4o-mini"), notifications(),
                "open -> half-open says nothing; half-open -> closed is the recovery");
    }

    @Test
    void anOperatorDisablingTheLastDeploymentOfAModelMakesItUnavailable() {
        health.disable(aMini);

        assertEquals(List.of("model_unavailable gpt-4o-mini"), notifications());
    }

    @Test
    void aRefusedKeyIsADisabledKeyOfItsBackend() {
        health.keyDisabled(aMini, 0);

        assertEquals(List.of("key_disabled a"), notifications());
    }

    @Test
    void refusedCredentialsEverywhereAreADownDeployment() {
        health.flag(aMini, "credentials refused");

        assertEquals(List.of("deployment_down a/gpt-4o-mini", "model_unavailable gpt-4o-mini"), notifications());

        health.health(aMini).clearFlag();
        assertEquals(List.of("deployment_recovered a/gpt-4o-mini"), notifications());
    }

    @Test
    void aDeploymentGoneUpstreamIsDownWithoutAKeyEvent() {
        health.flag(aGpt4o, "deployment not found upstream");

        assertEquals(List.of("deployment_down a/gpt-4o"), notifications());
    }

    @Test
    void failingAndPassingProbesAreDownAndRecovered() {
        health.health(aMini).markProbeUnhealthy();
        assertEquals(List.of("deployment_down a/gpt-4o-mini", "model_unavailable gpt-4o-mini"), notifications());

        health.health(aMini).markProbeHealthy();
        assertEquals(List.of("deployment_recovered a/gpt-4o-mini"), notifications());
    }

    @Test
    void aPauseOfAQuotaGroupIsQuotaExhaustedForTheGroupAndTakesOutWhatOnlyItServes() {
        health.bench(aMini, Duration.ofSeconds(30));

        assertEquals(List.of("quota_exhausted quota group shared", "model_unavailable gpt-4o-mini"),
                notifications(), "backend a is in quota group shared: the pause benches the group");
    }

    @Test
    void aPauseOfADeploymentWithoutGroupIsQuotaExhaustedForIt() {
        health.bench(bGpt4o, Duration.ofSeconds(30));

        assertEquals(List.of("quota_exhausted b/gpt-4o"), notifications());
    }

    @Test
    void aConnectionFailureOpensTheBreakerAndBenchesTheEndpointWhichNamesTheModelsItTakesOut() {
        health.recordFailure(aMini, FailureClass.CONNECT_FAILURE);

        // The breaker and the endpoint bench each find the model unavailable; the notifier sends it once.
        assertEquals(List.of("circuit_opened a/gpt-4o-mini", "model_unavailable gpt-4o-mini",
                "model_unavailable gpt-4o-mini"), notifications());
    }

    @Test
    void messagesNameDeploymentsBackendsAndModelsOnly() {
        health.recordFailure(aMini, FailureClass.CONNECT_FAILURE);
        health.flag(aMini, "credentials refused");
        for (Object event : new ArrayList<>(events)) {
            for (Notification notification : translator.translate(event)) {
                assertFalse(notification.text().contains("127.0.0.1"), notification.text());
                assertFalse(notification.text().contains("sk-backend-secret-a1"), notification.text());
            }
        }
    }
}
