package io.aigateway.config;

import java.util.List;

/**
 * The {@code security} section.
 *
 * @param allowedBackendHosts {@code security.allowed_backend_hosts}: the hosts backends may live on, as exact
 *                            names, {@code *.} suffix wildcards and CIDR blocks for IP literals (see
 *                            {@link BackendHosts}); null when absent, which allows any host. A backend whose
 *                            endpoint is elsewhere is refused at {@code backends[i].endpoint}.
 */
public record SecurityConfig(List<String> allowedBackendHosts) {

    /** @throws ConfigException naming each entry of the list that is not a host, wildcard or CIDR block */
    public SecurityConfig {
        Problems problems = new Problems();
        if (allowedBackendHosts != null) {
            BackendHosts.parse(problems, "allowed_backend_hosts", allowedBackendHosts);
        }
        problems.throwIfAny("SecurityConfig");
        allowedBackendHosts = allowedBackendHosts == null ? null : List.copyOf(allowedBackendHosts);
    }

    /** The section as it is when the file leaves it out: backends may be anywhere. */
    public static SecurityConfig defaults() {
        return new SecurityConfig(null);
    }

    /** The allow-list, ready to match URLs against. */
    public BackendHosts backendHosts() {
        return allowedBackendHosts == null ? BackendHosts.ANY : BackendHosts.of(allowedBackendHosts);
    }
}
