package io.aigateway.proxy;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestCertificates;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backends over HTTPS: a certificate is always verified, host name included. A backend whose certificate is
 * self-signed or for another host fails the request over to another deployment (502 when none is left) and is
 * flagged; a private CA is trusted only through {@code backends[].tls.ca_file}; without it the JDK's trust store
 * applies. The certificates are made for the test by keytool.
 */
class BackendTlsTest {
    static final String KEY = "sk-tls-test";
    static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create();
    }

    private static String config(String... backends) {
        return "tenants: [{name: team, keys: [\"" + KEY + "\"], models: [\"*\"]}]\n"
            + "backends:\n" + String.join("", backends);
    }

    private static String backend(String name, FakeBackend fake, String extra) {
        return "  - {name: " + name + ", flavor: openai, endpoint: \"" + fake.url() + "/v1\", models: [gpt-4o]"
            + (extra.isEmpty() ? "" : ", " + extra) + "}\n";
    }

    private static String trustingTestCa() {
        return "tls: {ca_file: \"" + certificates.caPem() + "\"}";
    }

    private static HttpResponse<String> chat(GatewayServer gateway) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
    }

    private static boolean flagged(GatewayServer gateway, String backendName) {
        HealthRegistry health = (HealthRegistry)gateway.gateway().health();
        Backend backend = gateway.gateway().registry().backends().stream()
            .filter(b -> b.name().equals(backendName)).findFirst().orElseThrow();
        Deployment deployment = backend.deployments().get(0);
        return health.health(deployment).flagged();
    }

    private static void assertUnreachable(HttpResponse<String> response) {
        assertEquals(502, response.statusCode(), response.body());
        JsonObject error = Json.parse(response.body()).getJsonObject("error");
        assertEquals("backend_unreachable", error.getString("code"));
        assertEquals("server_error", error.getString("type"));
    }

    @Test
    void aBackendSignedByTheCaInItsCaFileIsServed() {
        try (FakeBackend secure = FakeBackend.startTls("secure", certificates.trusted(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(backend("secure", secure, trustingTestCa())))) {
            HttpResponse<String> response = chat(gateway);

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("secure", response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse(null));
            assertFalse(flagged(gateway, "secure"));
        }
    }

    @Test
    void aSelfSignedBackendIs502AndFlagged() {
        try (FakeBackend selfSigned = FakeBackend.startTls("self-signed", certificates.selfSigned(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(backend("self-signed", selfSigned, trustingTestCa())))) {
            assertUnreachable(chat(gateway));

            assertTrue(flagged(gateway, "self-signed"), "flagged: retrying cannot fix a certificate");
            assertEquals(0, selfSigned.requestCount(), "no request crossed the refused handshake");
            HttpResponse<String> next = chat(gateway);
            assertEquals(503, next.statusCode(), "the flagged deployment takes no traffic: " + next.body());
        }
    }

    @Test
    void aCertificateForAnotherHostIs502AndFlagged() {
        try (FakeBackend wrongHost = FakeBackend.startTls("wrong-host", certificates.wrongHost(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(backend("wrong-host", wrongHost, trustingTestCa())))) {
            assertUnreachable(chat(gateway));

            assertTrue(flagged(gateway, "wrong-host"), "signed by a trusted CA, but not for 127.0.0.1");
            assertEquals(0, wrongHost.requestCount());
        }
    }

    @Test
    void aRefusedCertificateFailsOverToAnotherDeploymentWithoutRetryingTheSameOne() {
        try (FakeBackend selfSigned = FakeBackend.startTls("self-signed", certificates.selfSigned(), TestCertificates.PASSWORD);
             FakeBackend secure = FakeBackend.startTls("secure", certificates.trusted(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(
                 backend("self-signed", selfSigned, trustingTestCa() + ", priority: 0, retries_per_backend: 3"),
                 backend("secure", secure, trustingTestCa() + ", priority: 1")))) {
            HttpResponse<String> response = chat(gateway);

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("secure", response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse(null));
            assertTrue(flagged(gateway, "self-signed"));
            for (int i = 0; i < 3; i++)
                assertEquals("secure", chat(gateway).headers().firstValue(FakeBackend.BACKEND_HEADER).orElse(null));
            assertEquals(4, secure.requestCount());
        }
    }

    @Test
    void withoutCaFileATestCaIsNotTrusted() {
        try (FakeBackend secure = FakeBackend.startTls("secure", certificates.trusted(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(backend("secure", secure, "")))) {
            assertUnreachable(chat(gateway));
            assertTrue(flagged(gateway, "secure"), "the JDK's trust store does not hold the test CA");
        }
    }

    @Test
    void withoutCaFileTheJdkTrustStoreApplies() {
        // The JDK's trust store is whatever javax.net.ssl.trustStore names (cacerts when unset): point it at one that
        // holds the test CA while the gateway builds its client.
        String[] names = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
        String[] before = new String[names.length];
        for (int i = 0; i < names.length; i++)
            before[i] = System.getProperty(names[i]);
        System.setProperty(names[0], certificates.trustStore().toString());
        System.setProperty(names[1], TestCertificates.PASSWORD);
        System.setProperty(names[2], "PKCS12");
        try (FakeBackend secure = FakeBackend.startTls("secure", certificates.trusted(), TestCertificates.PASSWORD);
             GatewayServer gateway = GatewayServer.start(config(backend("secure", secure, "")))) {
            HttpResponse<String> response = chat(gateway);
            assertEquals(200, response.statusCode(), response.body());
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (before[i] == null)
                    System.clearProperty(names[i]);
                else
                    System.setProperty(names[i], before[i]);
            }
        }
    }
}
