package io.aigateway.admin.jmx;

import io.aigateway.config.ConfigLoader;
import io.aigateway.log.RequestRecord;
import io.aigateway.registry.Deployment;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MBeans read and invoked through the platform MBean server, as JConsole or Tomcat's jmxproxy would. */
class GatewayMBeansTest {
    static final String KEY = "sk-jmx-test";
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static String config(FakeBackend a, FakeBackend b, String extraBackend) {
        return """
            tenants:
              - {name: team, keys: ["%s"], models: [gpt-4o, fast]}
              - {name: "ops, night=shift", keys: [sk-jmx-ops-1, sk-jmx-ops-2], models: ["*"]}
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", keys: [sk-upstream-1, sk-upstream-2], models: [gpt-4o],
                 priority: 0, circuit_breaker: {consecutive_failures: 1}}
              - {name: b, flavor: azure, endpoint: "%s", keys: [sk-upstream-3],
                 deployments: [{name: "prod:gpt4o", model: gpt-4o}], priority: 1}
            %s
            models: {aliases: {fast: gpt-4o}}
            """.formatted(KEY, a.url(), b.url(), extraBackend);
    }

    @AfterEach
    void noGatewayMBeanOutlivesItsGateway() throws Exception {
        assertEquals(Set.of(), SERVER.queryNames(new ObjectName("aigateway:*"), null));
    }

    @Test
    void showsTheGatewayBackendsDeploymentsAndTenants() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            LinkedBlockingQueue<RequestRecord> records = new LinkedBlockingQueue<>();
            gateway.gateway().addRequestListener(records::add);
            a.enqueue(Reply.error(500, "server_error", null, "boom"));
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(404, gateway.post("/v1/chat/completions", KEY, Json.chat("nope", false)).statusCode());
            assertNotNull(records.poll(10, TimeUnit.SECONDS));
            assertNotNull(records.poll(10, TimeUnit.SECONDS));

            ObjectName gw = new ObjectName("aigateway:type=Gateway");
            assertTrue(((String)SERVER.getAttribute(gw, "ConfigSource")).contains(gateway.configFile().toString()));
            assertEquals(1, SERVER.getAttribute(gw, "ConfigVersion"));
            assertEquals(2, SERVER.getAttribute(gw, "TenantCount"));
            assertEquals(2, SERVER.getAttribute(gw, "BackendCount"));
            assertEquals(2, SERVER.getAttribute(gw, "DeploymentCount"));
            assertEquals(2, SERVER.getAttribute(gw, "PublicModelCount"));
            assertEquals(0, SERVER.getAttribute(gw, "RequestsInFlight"));
            assertEquals(0, SERVER.getAttribute(gw, "RetriesInFlight"));
            assertEquals(2L, SERVER.getAttribute(gw, "RequestsTotal"));
            assertEquals(1L, SERVER.getAttribute(gw, "RequestsSucceeded"));
            assertEquals(1L, SERVER.getAttribute(gw, "RequestsClientErrors"));
            assertEquals(0L, SERVER.getAttribute(gw, "RequestsServerErrors"));
            assertEquals(1L, SERVER.getAttribute(gw, "RetriesTotal"));

            ObjectName backendA = new ObjectName("aigateway:type=Backend,name=a");
            assertEquals(true, SERVER.getAttribute(backendA, "Enabled"));
            assertEquals("openai", SERVER.getAttribute(backendA, "Flavor"));
            assertEquals("127.0.0.1:" + a.port(), SERVER.getAttribute(backendA, "EndpointHost"));
            assertEquals(2, SERVER.getAttribute(backendA, "KeysTotal"));
            assertEquals(2, SERVER.getAttribute(backendA, "KeysEnabled"));
            assertArrayEquals(new String[] {"gpt-4o"}, (String[])SERVER.getAttribute(backendA, "Deployments"));

            ObjectName deploymentA = new ObjectName("aigateway:type=Deployment,backend=a,name=gpt-4o");
            assertEquals("gpt-4o", SERVER.getAttribute(deploymentA, "Model"));
            assertEquals("OPEN", SERVER.getAttribute(deploymentA, "CircuitState"));
            assertEquals(false, SERVER.getAttribute(deploymentA, "Available"));
            assertEquals(1L, SERVER.getAttribute(deploymentA, "Started"));
            assertEquals(1L, SERVER.getAttribute(deploymentA, "Failed"));
            assertEquals(0, SERVER.getAttribute(deploymentA, "InFlight"));

            // A deployment name with a colon is quoted in its object name.
            ObjectName deploymentB = new ObjectName("aigateway:type=Deployment,backend=b,name=" + ObjectName.quote("prod:gpt4o"));
            assertEquals(GatewayMBeans.deploymentName("b", "prod:gpt4o"), deploymentB);
            assertEquals("CLOSED", SERVER.getAttribute(deploymentB, "CircuitState"));
            assertEquals(true, SERVER.getAttribute(deploymentB, "Available"));
            assertEquals(1L, SERVER.getAttribute(deploymentB, "Succeeded"));
            assertEquals(1.0, SERVER.getAttribute(deploymentB, "SuccessRate"));
            assertTrue((Long)SERVER.getAttribute(deploymentB, "P99FirstByteMs") >= 0);
            assertEquals(-1L, SERVER.getAttribute(deploymentB, "P99StreamFirstByteMs"));

            assertArrayEquals(new String[] {"gpt-4o", "fast"},
                (String[])SERVER.getAttribute(new ObjectName("aigateway:type=Tenant,name=team"), "AllowedModels"));
            ObjectName ops = new ObjectName("aigateway:type=Tenant,name=" + ObjectName.quote("ops, night=shift"));
            assertEquals(2, SERVER.getAttribute(ops, "KeysTotal"));

            String everything = SERVER.queryNames(new ObjectName("aigateway:*"), null).toString();
            for (ObjectName name : SERVER.queryNames(new ObjectName("aigateway:*"), null)) {
                for (var attribute : SERVER.getMBeanInfo(name).getAttributes())
                    everything += " " + stringOf(SERVER.getAttribute(name, attribute.getName()));
            }
            for (String secret : new String[] {KEY, "sk-upstream-1", "sk-upstream-3", "sk-jmx-ops-1"})
                assertFalse(everything.contains(secret), "JMX shows " + secret);
        }
    }

    @Test
    void clearFlagPutsAFlaggedDeploymentBackIntoRotation() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            HealthRegistry health = (HealthRegistry)gateway.gateway().health();
            Deployment deployment = gateway.gateway().registry().backends().get(0).deployments().get(0);
            health.flag(deployment, "credentials refused");
            ObjectName name = new ObjectName("aigateway:type=Deployment,backend=a,name=gpt-4o");
            assertEquals(true, SERVER.getAttribute(name, "Flagged"));
            assertEquals("credentials refused", SERVER.getAttribute(name, "FlagReason"));
            assertEquals(false, SERVER.getAttribute(name, "Available"));

            SERVER.invoke(name, "clearFlag", new Object[0], new String[0]);

            assertEquals(false, SERVER.getAttribute(name, "Flagged"));
            assertEquals(true, SERVER.getAttribute(name, "Available"));
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(1, a.requestCount());
        }
    }

    @Test
    void followsAReloadAddingAndRemovingBeans() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            String reloaded = config(a, b, "  - {name: c, flavor: openai, endpoint: \"" + a.url() + "/v1\", models: [gpt-4o, o3]}")
                .replace("{name: \"ops, night=shift\", keys: [sk-jmx-ops-1, sk-jmx-ops-2], models: [\"*\"]}",
                    "{name: later, keys: [sk-jmx-later], models: [o3]}");
            gateway.gateway().apply(new ConfigLoader(Map.<String, String>of()::get).parse(reloaded, "reloaded.yaml"));

            assertEquals(2, SERVER.getAttribute(new ObjectName("aigateway:type=Gateway"), "ConfigVersion"));
            assertEquals(3, SERVER.getAttribute(new ObjectName("aigateway:type=Gateway"), "BackendCount"));
            assertTrue(SERVER.isRegistered(new ObjectName("aigateway:type=Backend,name=c")));
            assertTrue(SERVER.isRegistered(new ObjectName("aigateway:type=Deployment,backend=c,name=o3")));
            assertTrue(SERVER.isRegistered(new ObjectName("aigateway:type=Tenant,name=later")));
            assertFalse(SERVER.isRegistered(GatewayMBeans.tenantName("ops, night=shift")));
            assertTrue(SERVER.isRegistered(new ObjectName("aigateway:type=Tenant,name=team")));
        }
    }

    @Test
    void reloadAppliesTheConfigFileOrRefusesItNamingTheBadField() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            ObjectName name = GatewayMBeans.gatewayName();
            java.nio.file.Files.writeString(gateway.configFile(),
                config(a, b, "  - {name: c, flavor: openai, endpoint: \"" + a.url() + "/v1\", models: [o3]}"));

            assertEquals("applied", SERVER.invoke(name, "reload", new Object[0], new String[0]));
            assertEquals(3, SERVER.getAttribute(name, "BackendCount"));
            assertTrue(SERVER.isRegistered(GatewayMBeans.backendName("c")));

            java.nio.file.Files.writeString(gateway.configFile(), config(a, b, "  - {name: d, flavor: openai}"));
            String refused = (String)SERVER.invoke(name, "reload", new Object[0], new String[0]);

            assertTrue(refused.startsWith("refused: ") && refused.contains("backends[2].endpoint"), refused);
            assertEquals(3, SERVER.getAttribute(name, "BackendCount"), "the running config stays");
            assertEquals(200, gateway.post("/v1/chat/completions", "sk-jmx-ops-1", Json.chat("o3", false)).statusCode());
        }
    }

    @Test
    void aSecondGatewayInTheJvmLeavesTheFirstOnesBeansAlone() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer first = GatewayServer.start(config(a, b, ""))) {
            try (GatewayServer second = GatewayServer.start(config(a, b, ""))) {
                assertEquals(200, second.get("/health", null).statusCode(), "it runs, without MBeans");
                assertTrue(((String)SERVER.getAttribute(GatewayMBeans.gatewayName(), "ConfigSource"))
                    .contains(first.configFile().toString()));
            }
            assertTrue(SERVER.isRegistered(GatewayMBeans.gatewayName()));
            assertTrue(SERVER.isRegistered(GatewayMBeans.backendName("a")));
        }
    }

    @Test
    void quotesOnlyWhatJmxWouldRefuse() {
        assertEquals("azure-eu", GatewayMBeans.value("azure-eu"));
        assertEquals("gpt-4o.mini_2 v1", GatewayMBeans.value("gpt-4o.mini_2 v1"));
        assertEquals("\"a\\:b\"".replace("\\:", ":"), GatewayMBeans.value("a:b"));
        assertEquals(ObjectName.quote("x=y"), GatewayMBeans.value("x=y"));
        assertEquals(ObjectName.quote("say \"hi\""), GatewayMBeans.value("say \"hi\""));
        assertEquals(ObjectName.quote("*"), GatewayMBeans.value("*"));
    }

    private static String stringOf(Object value) {
        return value instanceof String[] array ? String.join(",", array) : String.valueOf(value);
    }
}
