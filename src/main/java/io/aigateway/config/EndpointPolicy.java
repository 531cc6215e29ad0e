package io.aigateway.config;

import java.net.URI;

/**
 * What an upstream URL must be, wherever it comes from (the config file now, the admin API later): an absolute
 * {@code http} or {@code https} URL with a host, no user info, query or fragment, and, when
 * {@code security.allowed_backend_hosts} is given, a host on that list. The one place these rules live, so that
 * no way of adding a backend can point the gateway at {@code file:}, {@code jar:} or an internal address.
 */
public final class EndpointPolicy {
    private EndpointPolicy() {
    }

    /** What is wrong with the URL's shape, or null when nothing is. */
    public static String shapeProblem(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (!endpoint.isAbsolute() || endpoint.isOpaque() || endpoint.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            return "not an absolute http(s) URL";
        }
        if (endpoint.getRawUserInfo() != null) {
            return "must not contain user info (put credentials in keys)";
        }
        if (endpoint.getRawQuery() != null) {
            return "must not have a query (the gateway adds what the flavor needs)";
        }
        if (endpoint.getRawFragment() != null) {
            return "must not have a fragment";
        }
        return null;
    }

    /** What is wrong with the URL, its shape first and then its host, or null when nothing is. */
    public static String problem(URI endpoint, BackendHosts allowed) {
        String shape = shapeProblem(endpoint);
        if (shape != null) {
            return shape;
        }
        if (!allowed.allows(endpoint)) {
            return "host '" + endpoint.getHost() + "' is not in security.allowed_backend_hosts";
        }
        return null;
    }
}
