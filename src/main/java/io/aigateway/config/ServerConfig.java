package io.aigateway.config;

/**
 * The {@code server} section: how the standalone launcher listens, and limits that apply to every request.
 *
 * @param host            {@code server.host}: the address the standalone launcher binds to; default {@code 0.0.0.0}
 *                        (all interfaces). Ignored when the gateway runs as a WAR in a container.
 * @param port            {@code server.port}: the port the standalone launcher listens on, 0..65535, where 0 picks
 *                        any free port; default 8080. Ignored when the gateway runs as a WAR in a container.
 * @param maxRequestBytes {@code server.max_request_bytes}: the largest request body accepted, in bytes; default
 *                        10 MiB. Bodies are held in memory (they are replayed on failover), so this bounds memory.
 * @param maxInFlight     {@code server.max_in_flight}: the most API requests the gateway works on at once, across
 *                        all tenants; default {@value #DEFAULT_MAX_IN_FLIGHT}. One more is refused at once with 503
 *                        {@code overloaded} and {@code Retry-After: 1} instead of queueing without bound.
 */
public record ServerConfig(String host, int port, long maxRequestBytes, int maxInFlight) {

    /** All interfaces. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** The default listening port of the standalone launcher. */
    public static final int DEFAULT_PORT = 8080;
    /** 10 MiB: enough for a chat request with several images inlined as base64. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 10L * 1024 * 1024;

    /** Generous: far above what one node serves, so that only a flood (or a stuck backend) reaches it. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    private static final int MAX_PORT = 65535;

    /** @throws ConfigException naming each field that breaks its rule */
    public ServerConfig {
        Problems problems = new Problems();
        if (host == null) {
            problems.add("host", "is required");
        } else if (host.isBlank()) {
            problems.add("host", "must not be blank");
        }
        if (port < 0 || port > MAX_PORT) {
            problems.add("port", "must be between 0 and " + MAX_PORT);
        }
        if (maxRequestBytes <= 0) {
            problems.add("max_request_bytes", "must be a positive number of bytes");
        }
        if (maxInFlight < 1) {
            problems.add("max_in_flight", "must be at least 1");
        }
        problems.throwIfAny("ServerConfig");
    }

    /** A section with the default {@code max_in_flight}. */
    public ServerConfig(String host, int port, long maxRequestBytes) {
        this(host, port, maxRequestBytes, DEFAULT_MAX_IN_FLIGHT);
    }

    /** The section as it is when the file leaves it out. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_REQUEST_BYTES);
    }
}
