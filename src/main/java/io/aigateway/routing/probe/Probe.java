package io.aigateway.routing.probe;

import io.aigateway.registry.Backend;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * The request that tells whether a backend, and so each of its deployments, is healthy. A probe only builds the
 * request (URL, method, auth header); the {@link HealthChecker} sets the timeout, sends it and judges the answer
 * with {@link ProbeVerdict#ofStatus(int)}. See {@link FlavorProbes} for the default of each flavor.
 */
@FunctionalInterface
public interface Probe {
    /**
     * @param client  the client to create the request with; the probe must not send it
     * @param backend the backend to probe
     * @param key     the key to present, or null when the backend takes none
     */
    Request newRequest(HttpClient client, Backend backend, String key);
}
