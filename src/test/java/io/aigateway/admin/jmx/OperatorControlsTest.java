package io.aigateway.admin.jmx;

import io.aigateway.config.ConfigLoader;
import io.aigateway.routing.health.CircuitBreaker;
import io.aigateway.routing.health.CircuitBreakerEvent;
import io.aigateway.routing.health.HealthEvent;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's controls over deployments, invoked through the platform MBean server as JConsole would: disable,
 * enable, drain and resetCircuit on a deployment, and the same on a backend for all its deployments.
 */
class OperatorControlsTest {
    static final String KEY = "sk-jmx-operator";
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    static final ObjectName DEPLOYMENT_A = GatewayMBeans.deploymentName("a", "gpt-4o");
    static final ObjectName DEPLOYMENT_B = GatewayMBeans.deploymentName("b", "gpt-4o");
    static final ObjectName BACKEND_A = GatewayMBeans.backendName("a");

    /** a is preferred (priority 0) and opens its breaker on one failure; b (priority 1) takes what a does not. */
    private static String config(FakeBackend a, FakeBackend b) {
        return """
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini], priority: 0,
                 circuit_breaker: {consecutive_failures: 1}}
              - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 1}
            """.formatted(KEY, a.url(), b.url());
    }

    private static HttpResponse<String> chat(GatewayServer gateway) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse("?");
    }

    private static void invoke(ObjectName name, String operation) throws Exception {
        SERVER.invoke(name, operation, new Object[0], new String[0]);
    }

    @AfterEach
    void noGatewayMBeanOutlivesItsGateway() throws Exception {
        assertEquals(Set.of(), SERVER.queryNames(new ObjectName("aigateway:*"), null));
    }

    @Test
    void aDisabledDeploymentGetsNoRequestsUntilEnabled() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            assertEquals("a", servedBy(chat(gateway)));
            assertEquals("ENABLED", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));

            invoke(DEPLOYMENT_A, "disable");

            assertEquals("DISABLED", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            assertEquals(false, SERVER.getAttribute(DEPLOYMENT_A, "Available"));
            for (int i = 0; i < 5; i++)
                assertEquals("b", servedBy(chat(gateway)));
            assertEquals(1, a.requestCount(), "none reached a while disabled");

            invoke(DEPLOYMENT_A, "enable");

            assertEquals("ENABLED", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            assertEquals(true, SERVER.getAttribute(DEPLOYMENT_A, "Available"));
            assertEquals("a", servedBy(chat(gateway)), "traffic returns");
            assertEquals(2, a.requestCount());
        }
    }

    @Test
    void everyDeploymentDisabledAnswers503WithoutCallingAnyBackend() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            invoke(DEPLOYMENT_A, "disable");
            invoke(DEPLOYMENT_B, "disable");

            HttpResponse<String> refused = chat(gateway);

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("no_healthy_backend", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals(0, a.requestCount() + b.requestCount());
        }
    }

    @Test
    void aDrainedDeploymentFinishesItsRequestInFlightAndTakesNoNewOnes() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            Reply.Hang hang = Reply.hang();
            a.enqueue(hang);
            HttpRequest request = gateway.request("/v1/chat/completions", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", false))).build();
            CompletableFuture<HttpResponse<String>> inFlight =
                gateway.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
            hang.awaitHeld();
            assertEquals(1, SERVER.getAttribute(DEPLOYMENT_A, "InFlight"));

            invoke(DEPLOYMENT_A, "drain");

            assertEquals("DRAINING", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            for (int i = 0; i < 3; i++)
                assertEquals("b", servedBy(chat(gateway)), "new requests go elsewhere");
            assertFalse(inFlight.isDone());

            hang.release();

            HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
            assertEquals("a", servedBy(finished));
            awaitInFlight(DEPLOYMENT_A, 0);
            assertEquals(1, a.requestCount());
            assertEquals("b", servedBy(chat(gateway)), "still draining once drained");
        }
    }

    @Test
    void resetCircuitLetsTheNextRequestReachTheDeploymentAgain() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
            HealthRegistry health = (HealthRegistry)gateway.gateway().health();
            health.addBreakerListener(events::add);
            a.enqueue(Reply.error(500, "server_error", null, "boom"));

            assertEquals("b", servedBy(chat(gateway)), "a failed and opened its breaker");
            assertEquals("OPEN", SERVER.getAttribute(DEPLOYMENT_A, "CircuitState"));
            assertEquals("b", servedBy(chat(gateway)));

            invoke(DEPLOYMENT_A, "resetCircuit");

            assertEquals("CLOSED", SERVER.getAttribute(DEPLOYMENT_A, "CircuitState"));
            assertEquals("a", servedBy(chat(gateway)));
            assertEquals(2, a.requestCount());
            assertEquals(List.of(CircuitBreaker.Transition.CLOSED_TO_OPEN, CircuitBreaker.Transition.RESET_OPEN_TO_CLOSED),
                events.stream().map(CircuitBreakerEvent::transition).toList());
        }
    }

    @Test
    void backendOperationsApplyToEachOfItsDeployments() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            ObjectName mini = GatewayMBeans.deploymentName("a", "gpt-4o-mini");
            List<HealthEvent> events = new CopyOnWriteArrayList<>();
            ((HealthRegistry)gateway.gateway().health()).addHealthListener(events::add);

            invoke(BACKEND_A, "drain");
            assertEquals("DRAINING", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            assertEquals("DRAINING", SERVER.getAttribute(mini, "OperatorState"));
            assertEquals("ENABLED", SERVER.getAttribute(DEPLOYMENT_B, "OperatorState"));

            invoke(BACKEND_A, "disable");
            assertEquals("DISABLED", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            assertEquals("DISABLED", SERVER.getAttribute(mini, "OperatorState"));
            assertEquals(true, SERVER.getAttribute(BACKEND_A, "Enabled"), "the configured flag is not the operator's");
            assertEquals("b", servedBy(chat(gateway)));
            assertEquals(503, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o-mini", false)).statusCode(),
                "a alone serves gpt-4o-mini");

            invoke(BACKEND_A, "enable");
            assertEquals("ENABLED", SERVER.getAttribute(mini, "OperatorState"));
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o-mini", false)).statusCode());
            assertEquals("a", servedBy(chat(gateway)));
            assertEquals(6, events.size(), events.toString());
        }
    }

    @Test
    void operatorStateOutlivesAConfigReload() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b))) {
            invoke(DEPLOYMENT_A, "disable");

            gateway.gateway().apply(new ConfigLoader(name -> null)
                .parse(config(a, b).replace("priority: 1", "priority: 2"), "reloaded.yaml"));

            assertEquals("DISABLED", SERVER.getAttribute(DEPLOYMENT_A, "OperatorState"));
            assertEquals("b", servedBy(chat(gateway)));
            assertEquals(0, a.requestCount());
        }
    }

    /** Polls: the upstream call ends a moment after the client has its answer, on the gateway's threads. */
    private static void awaitInFlight(ObjectName name, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Integer.valueOf(expected).equals(SERVER.getAttribute(name, "InFlight"))) {
            if (System.nanoTime() > deadline)
                throw new AssertionError(name + " InFlight is " + SERVER.getAttribute(name, "InFlight"));
            Thread.onSpinWait();
        }
    }
}
