package io.aigateway.proxy;

import io.aigateway.registry.Deployment;
import org.eclipse.jetty.http.HttpFields;

/** How one kind of backend is addressed: the URL of each operation and how a key is presented. */
interface UpstreamFlavor {
    /**
     * @param query the client's query string without {@code api-version}, or null
     * @return the absolute upstream URL, or null when this flavor cannot serve the operation
     */
    String url(Deployment deployment, Inbound inbound, String query);

    /** Whether this flavor can serve the operation at all. */
    default boolean supports(Operation operation) {
        return operation != Operation.PASSTHROUGH;
    }

    /** Adds the backend key to the upstream request headers. */
    void authenticate(HttpFields.Mutable headers, String key);
}
