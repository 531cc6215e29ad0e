package io.aigateway.routing.probe;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.probe.RecordingListener.Event;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.Reply;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.aigateway.routing.probe.ProbeFixtures.AZURE_KEY;
import static io.aigateway.routing.probe.ProbeFixtures.OPENAI_KEY;
import static io.aigateway.routing.probe.ProbeFixtures.openAi;
import static io.aigateway.routing.probe.ProbeFixtures.registry;
import static io.aigateway.routing.probe.ProbeFixtures.thresholds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds, thresholds, failures and reloads, against real HTTP servers; rounds are run with probeNow(). The client
 * keeps Jetty's default protocol handlers, which turn a 401 without {@code WWW-Authenticate} into a failure: the
 * checker must still see the status.
 */
class HealthCheckerTest {
    private static final String MINI = "openai/gpt-4o-mini";
    private static final String EMBEDDING = "openai/text-embedding-3-small";

    private final HttpClient client = new HttpClient();
    private final RecordingListener listener = new RecordingListener();
    private FakeBackend backend;
    private HealthChecker checker;

    @BeforeEach
    void start() throws Exception {
        client.start();
        backend = FakeBackend.start("probed");
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null)
            checker.stop();
        backend.close();
        client.stop();
        for (Event event : listener.events()) {
            String reason = String.valueOf(event.reason());
            assertFalse(reason.contains(OPENAI_KEY) || reason.contains(AZURE_KEY), "key in reason: " + event);
        }
    }

    private HealthChecker checker(Registry registry) {
        checker = new HealthChecker(registry, client, client.getScheduler(), listener);
        return checker;
    }

    private void round() throws Exception {
        checker.probeNow().get(10, TimeUnit.SECONDS);
    }

    private List<Event> transitionsOf(String deployment) {
        return listener.transitions().stream().filter(e -> e.deployment().equals(deployment)).toList();
    }

    @Test
    void becomesUnhealthyAfterThreeFailuresInARow() throws Exception {
        backend.always(Reply.error(503, "server_error", null, "overloaded"));
        checker(openAi(backend.url(), thresholds("5s")));

        round();
        round();
        assertEquals(List.of(), listener.transitions());
        round();

        assertEquals(List.of(new Event("transition", MINI, false, null)), transitionsOf(MINI));
        assertEquals(new Event("result", EMBEDDING, false, "HTTP 503: server error"), listener.lastResult());
        assertEquals(6, listener.results().size(), "three rounds, two deployments");
    }

    @Test
    void becomesHealthyAgainAfterTwoSuccessesInARow() throws Exception {
        Reply unavailable = Reply.error(503, "server_error", null, "overloaded");
        backend.enqueue(unavailable, unavailable, unavailable);
        checker(openAi(backend.url(), thresholds("5s")));
        round();
        round();
        round();
        listener.clear();

        round();
        assertEquals(List.of(), listener.transitions());
        assertTrue(listener.lastResult().healthy());
        round();

        assertEquals(List.of(new Event("transition", MINI, true, null)), transitionsOf(MINI));
        assertEquals(List.of(new Event("transition", EMBEDDING, true, null)), transitionsOf(EMBEDDING));
    }

    @Test
    void firstStateIsReportedOnceItsThresholdIsReached() throws Exception {
        checker(openAi(backend.url(), thresholds("5s")));

        round();
        assertEquals(List.of(), listener.transitions());
        round();
        assertEquals(List.of(new Event("transition", MINI, true, null)), transitionsOf(MINI));
        round();
        assertEquals(1, transitionsOf(MINI).size(), "staying healthy is no transition");
    }

    @Test
    void aSuccessInBetweenRestartsTheFailureCount() throws Exception {
        Reply unavailable = Reply.error(500, "server_error", null, "boom");
        backend.enqueue(unavailable, unavailable, Reply.defaultReply(), unavailable, unavailable, unavailable);
        checker(openAi(backend.url(), thresholds("5s")));

        for (int i = 0; i < 5; i++)
            round();
        assertEquals(List.of(), listener.transitions());
        round();

        assertEquals(List.of(new Event("transition", MINI, false, null)), transitionsOf(MINI));
    }

    @Test
    void hangingBackendCountsAsFailureAfterTimeout() throws Exception {
        backend.always(Reply.hang());
        checker(openAi(backend.url(), thresholds("200ms")));

        round();

        assertEquals(new Event("result", EMBEDDING, false, "timed out after 200ms"), listener.lastResult());
    }

    @Test
    void refusedConnectionCountsAsFailure() throws Exception {
        URI refused = FakeBackend.refusedUrl();
        checker(openAi(refused, thresholds("5s")));

        round();
        round();
        round();

        Event last = listener.lastResult();
        assertFalse(last.healthy());
        assertTrue(last.reason().startsWith("connection failed: "), last.reason());
        assertEquals(List.of(new Event("transition", MINI, false, null)), transitionsOf(MINI));
    }

    @Test
    void disabledHealthCheckOrBackendIsNotProbed() throws Exception {
        checker(registry("""
              - name: unchecked
                flavor: openai
                endpoint: %1$s/v1
                keys: [%2$s]
                health_check: {enabled: false}
                models: [gpt-4o-mini]
              - name: defaulted
                flavor: openai
                endpoint: %1$s/v1
                keys: [%2$s]
                models: [gpt-4o]
              - name: switched-off
                flavor: openai
                endpoint: %1$s/v1
                keys: [%2$s]
                enabled: false
                health_check: {enabled: true}
                models: [gpt-4o-nano]
            """.formatted(backend.url(), OPENAI_KEY)));

        round();
        checker.start();
        checker.stop();

        assertEquals(0, backend.requestCount());
        assertEquals(List.of(), listener.events());
    }

    @Test
    void probesEachBackendOnceAndReportsEveryDeployment() throws Exception {
        checker(openAi(backend.url(), thresholds("5s")));

        round();

        assertEquals(1, backend.requestCount());
        assertEquals(List.of(new Event("result", MINI, true, "HTTP 200"), new Event("result", EMBEDDING, true,
            "HTTP 200")), listener.results());
    }

    @Test
    void reloadKeepsCountersOfTheSameDeployments() throws Exception {
        backend.always(Reply.error(502, "server_error", null, "bad gateway"));
        checker(openAi(backend.url(), thresholds("5s")));
        round();
        round();

        checker.update(openAi(backend.url(), thresholds("5s")));
        round();

        assertEquals(List.of(new Event("transition", MINI, false, null)), transitionsOf(MINI));
    }

    @Test
    void deploymentNoLongerProbedWhileUnhealthyIsReleased() throws Exception {
        backend.always(Reply.error(503, "server_error", null, "overloaded"));
        checker(openAi(backend.url(), thresholds("5s")));
        round();
        round();
        round();
        listener.clear();

        checker.update(openAi(backend.url(), "enabled: false"));
        round();

        assertEquals(Set.of(new Event("transition", MINI, true, null), new Event("transition", EMBEDDING, true,
            null)), Set.copyOf(listener.events()));
        assertEquals(2, listener.events().size());
        assertEquals(3, backend.requestCount(), "no probe once disabled");
    }

    @Test
    void startProbesRightAway() throws Exception {
        CountDownLatch reported = new CountDownLatch(2);
        checker = new HealthChecker(openAi(backend.url(), thresholds("5s")), client, client.getScheduler(),
            new ProbeListener() {
                @Override
                public void onProbeResult(Deployment deployment, boolean healthy, String reason) {
                    listener.onProbeResult(deployment, healthy, reason);
                    reported.countDown();
                }

                @Override
                public void onTransition(Deployment deployment, boolean healthy) {
                    listener.onTransition(deployment, healthy);
                }
            });

        checker.start();

        assertEquals("/v1/models", backend.takeRequest().path());
        assertTrue(reported.await(10, TimeUnit.SECONDS));
        assertEquals(2, listener.results().size());
    }

    @Test
    void stopAbortsProbesInFlightAndReportsNothing() throws Exception {
        Reply.Hang hang = Reply.hang();
        backend.always(hang);
        checker(openAi(backend.url(), thresholds("5s")));

        var round = checker.probeNow();
        hang.awaitHeld();
        checker.stop();
        round.get(10, TimeUnit.SECONDS);

        assertEquals(List.of(), listener.events());
    }

    @Test
    void reasonNeverHoldsTheKey() throws Exception {
        backend.always(Reply.error(401, "invalid_request_error", "invalid_api_key",
            "Incorrect API key provided: " + OPENAI_KEY));
        checker(openAi(backend.url(), thresholds("5s")));

        round();

        assertEquals(new Event("result", EMBEDDING, false, "HTTP 401: key rejected"), listener.lastResult());
        assertEquals(new ProbeVerdict(false, "failed: IllegalStateException ([REDACTED])"),
            ProbeVerdict.ofFailure(new IllegalStateException(OPENAI_KEY), null).redacting(OPENAI_KEY));
    }
}
