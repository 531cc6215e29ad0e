package io.aigateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security-related keys of the file: {@code security.allowed_backend_hosts}, {@code backends[].tls.ca_file}
 * and {@code server.max_in_flight}, each refused at its field path.
 */
class SecurityConfigTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get);

    private static String config(String security, String... endpoints) {
        StringBuilder yaml = new StringBuilder(security).append("\nbackends:\n");
        for (int i = 0; i < endpoints.length; i++)
            yaml.append("  - {name: b").append(i).append(", flavor: openai, endpoint: \"").append(endpoints[i])
                .append("\", models: [m").append(i).append("]}\n");
        return yaml.toString();
    }

    private static List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse(yaml, "test.yaml"));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void backendsOnListedHostsAreAccepted() {
        GatewayConfig config = LOADER.parse(config(
            "security: {allowed_backend_hosts: [\"*.openai.azure.com\", api.openai.com, 10.0.0.0/8]}",
            "https://eu.openai.azure.com", "https://api.openai.com/v1", "http://10.2.3.4:8000/v1"), "test.yaml");

        assertEquals(List.of("*.openai.azure.com", "api.openai.com", "10.0.0.0/8"), config.security().allowedBackendHosts());
        assertTrue(config.security().backendHosts().restricted());
    }

    @Test
    void aBackendOffTheListIsRefusedAtItsEndpoint() {
        assertEquals(List.of(
                "backends[1].endpoint: host '169.254.169.254' is not in security.allowed_backend_hosts",
                "backends[2].endpoint: host 'localhost' is not in security.allowed_backend_hosts"),
            problems(config("security: {allowed_backend_hosts: [api.openai.com]}",
                "https://api.openai.com/v1", "http://169.254.169.254/latest", "http://localhost:11434/v1")));
    }

    @Test
    void withoutTheSectionAnyHostIsAllowed() {
        GatewayConfig config = LOADER.parse(config("", "http://127.0.0.1:8080"), "test.yaml");

        assertFalse(config.security().backendHosts().restricted());
    }

    @Test
    void badEntriesAreReportedEachAtItsIndex() {
        assertEquals(List.of(
                "security.allowed_backend_hosts[1]: '10.0.0.0/40' is not a host name, a '*.' suffix wildcard or a CIDR block such as 10.0.0.0/8",
                "security.allowed_backend_hosts[2]: '*' is not a host name, a '*.' suffix wildcard or a CIDR block such as 10.0.0.0/8"),
            problems(config("security: {allowed_backend_hosts: [api.openai.com, 10.0.0.0/40, \"*\"]}", "https://api.openai.com")));
        assertEquals(List.of("security.allowed_backend_hosts: must list at least one host (leave it out to allow any host)"),
            problems(config("security: {allowed_backend_hosts: []}", "https://api.openai.com")));
        assertEquals(List.of("security.nope: unknown field"),
            problems(config("security: {nope: 1}", "https://api.openai.com")));
    }

    @Test
    void onlyHttpAndHttpsEndpoints() {
        assertEquals(List.of(
                "backends[0].endpoint: not an absolute http(s) URL",
                "backends[1].endpoint: not an absolute http(s) URL"),
            problems(config("", "file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL")));
    }

    @Test
    void aCaFileIsReadWhenTheConfigIsLoaded(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, TEST_CA_PEM);
        GatewayConfig config = LOADER.parse(config("", "https://llm.internal:8443") .replace("models: [m0]}",
            "models: [m0], tls: {ca_file: \"" + pem + "\"}}"), "test.yaml");

        BackendTlsConfig tls = config.backends().get(0).tls();
        assertEquals(pem, tls.caFile());
        assertEquals(1, tls.caCertificates().size());
        assertTrue(tls.customTrust());
        assertFalse(LOADER.parse(config("", "https://api.openai.com"), "t").backends().get(0).tls().customTrust());
    }

    @Test
    void aMissingOrInvalidCaFileIsAConfigError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello");
        String yaml = config("", "https://a.internal", "https://b.internal")
            .replace("models: [m0]}", "models: [m0], tls: {ca_file: \"" + missing + "\"}}")
            .replace("models: [m1]}", "models: [m1], tls: {ca_file: \"" + notPem + "\", insecure: true}}");

        assertEquals(List.of(
                "backends[0].tls.ca_file: cannot read '" + missing + "' (NoSuchFileException)",
                "backends[1].tls.insecure: unknown field",
                "backends[1].tls.ca_file: '" + notPem + "' is not a PEM file of certificates"),
            problems(yaml));
        assertEquals(List.of("backends[0].tls.ca_file: '" + notPem + "' is not a PEM file of certificates"),
            problems(config("", "https://a.internal").replace("models: [m0]}", "models: [m0], tls: {ca_file: \"" + notPem + "\"}}")));
    }

    @Test
    void backendsOnOneHostAndPortMustAgreeOnTrust(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, TEST_CA_PEM);
        String yaml = config("", "https://llm.internal/v1", "https://LLM.internal:443/other")
            .replace("models: [m0]}", "models: [m0], tls: {ca_file: \"" + pem + "\"}}");

        assertEquals(List.of("backends[1].tls: backend 'b0' is on the same host and port with another tls setting"
                + " (connections to one host and port share one trust)"), problems(yaml));
    }

    @Test
    void maxInFlightDefaultsToTenThousandAndMustBePositive() {
        assertEquals(10_000, LOADER.parse(config("", "https://api.openai.com"), "t").server().maxInFlight());
        assertEquals(50, LOADER.parse("server: {max_in_flight: 50}\n" + config("", "https://api.openai.com"), "t").server().maxInFlight());
        assertEquals(List.of("server.max_in_flight: must be at least 1"),
            problems("server: {max_in_flight: 0}\n" + config("", "https://api.openai.com")));
    }

    /** A throwaway self-signed CA certificate (EC P-256), made with keytool for this test. */
    static final String TEST_CA_PEM = """
        -----BEGIN CERTIFICATE-----
        MIIBdDCCARmgAwIBAgIJAIPHXZBdQRF/MAoGCCqGSM49BAMCMCQxIjAgBgNVBAMT
        GUFJIEdhdGV3YXkgQ29uZmlnIFRlc3QgQ0EwIBcNMjYxMTIyMDcwNzA3WhgPMjEy
        NjEwMjkwNzA3MDdaMCQxIjAgBgNVBAMTGUFJIEdhdGV3YXkgQ29uZmlnIFRlc3Qg
        Q0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQw1P1scAv4E8BRIcixTcydD1d9
        biEmYidNcyuJYlqqpUJ8elsxlzV+jS+BCG88VXLlIbNs78gmwWydbCKWO/kkozIw
        MDAdBgNVHQ4EFgQUoxd5jbrB6zXFddx1dciQEPeP/RowDwYDVR0TAQH/BAUwAwEB
        /zAKBggqhkjOPQQDAgNJADBGAiEAtzUeNPOr3PvY5cYDoqZnAdSPOKHfLYzL+r69
        34A+x2MCIQCHBTXyokPlWib2zNENjJClHv14skrmkcdVD+V632VVwQ==
        -----END CERTIFICATE-----
        """;
}
