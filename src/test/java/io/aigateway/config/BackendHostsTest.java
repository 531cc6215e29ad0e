package io.aigateway.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend host allow-list, as a table of URLs and whether the list lets them through, and the URL policy. */
class BackendHostsTest {
    static final BackendHosts LIST = BackendHosts.of(List.of(
        "*.openai.azure.com", "api.openai.com", "10.0.0.0/8", "192.168.1.7", "fd00::/8", "Models.Example.COM"));

    static Stream<Arguments> urls() {
        return Stream.of(
            Arguments.of("https://eu.openai.azure.com", true),
            Arguments.of("https://a.b.openai.azure.com", true),
            Arguments.of("https://EU.OpenAI.Azure.com", true),
            Arguments.of("https://openai.azure.com", false),
            Arguments.of("https://evilopenai.azure.com", false),
            Arguments.of("https://openai.azure.com.evil.example", false),
            Arguments.of("https://api.openai.com/v1", true),
            Arguments.of("https://api.openai.com./v1", true),
            Arguments.of("https://api.openai.com.evil.example/v1", false),
            Arguments.of("https://models.example.com", true),
            Arguments.of("http://10.1.2.3:8000/v1", true),
            Arguments.of("http://10.255.255.255", true),
            Arguments.of("http://11.0.0.1", false),
            Arguments.of("http://192.168.1.7", true),
            Arguments.of("http://192.168.1.8", false),
            Arguments.of("http://127.0.0.1:8080", false),
            Arguments.of("http://localhost:8080", false),
            Arguments.of("http://169.254.169.254/latest/meta-data", false),
            Arguments.of("http://[::1]:8080", false),
            Arguments.of("http://[fd12::1]:8080", true),
            Arguments.of("http://[::ffff:10.0.0.1]", true),
            Arguments.of("http://[::ffff:127.0.0.1]", false),
            // Numeric host names that resolvers read as IPv4 addresses: never names, never on a list of names.
            Arguments.of("http://2130706433", false),
            Arguments.of("http://167772161", false),
            Arguments.of("http://0x7f.1", false),
            Arguments.of("http://10.1", false));
    }

    @ParameterizedTest(name = "{0} allowed: {1}")
    @MethodSource("urls")
    void matchesNamesWildcardsAndCidrBlocks(String url, boolean allowed) {
        assertEquals(allowed, LIST.allows(URI.create(url)), url);
    }

    @Test
    void withoutAListEveryHostIsAllowed() {
        assertFalse(BackendHosts.ANY.restricted());
        assertTrue(BackendHosts.ANY.allows(URI.create("http://127.0.0.1:1")));
        assertTrue(LIST.restricted());
    }

    @Test
    void invalidEntriesAreRefused() {
        for (String entry : List.of("", "*", "*.", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "exa mple.com", "http://x.com", "*.*.com", "2130706433"))
            assertThrows(ConfigException.class, () -> BackendHosts.of(List.of(entry)), entry);
        assertThrows(ConfigException.class, () -> BackendHosts.of(List.of()), "an empty list would refuse every backend");
    }

    @Test
    void endpointPolicyChecksTheShapeThenTheHost() {
        assertNull(EndpointPolicy.problem(URI.create("https://api.openai.com/v1"), LIST));
        assertEquals("not an absolute http(s) URL", EndpointPolicy.problem(URI.create("file:///etc/passwd"), LIST));
        assertEquals("not an absolute http(s) URL", EndpointPolicy.problem(URI.create("ftp://api.openai.com"), LIST));
        assertEquals("not an absolute http(s) URL", EndpointPolicy.problem(URI.create("jar:file:/x.jar!/"), BackendHosts.ANY));
        assertEquals("must not contain user info (put credentials in keys)",
            EndpointPolicy.problem(URI.create("https://u:p@api.openai.com"), LIST));
        assertEquals("host '127.0.0.1' is not in security.allowed_backend_hosts",
            EndpointPolicy.problem(URI.create("http://127.0.0.1:8080"), LIST));
        assertNull(EndpointPolicy.problem(URI.create("http://127.0.0.1:8080"), BackendHosts.ANY));
    }
}
