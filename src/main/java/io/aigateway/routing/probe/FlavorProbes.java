package io.aigateway.routing.probe;

import io.aigateway.config.Flavor;
import io.aigateway.registry.Backend;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The default probe of each flavor: list the models. It needs a valid key, so a revoked key shows up as a failure,
 * yet it generates no tokens and costs nothing. The backend's configured extra headers go along, as on every
 * request the gateway sends upstream.
 */
public final class FlavorProbes {
    /** {@code GET {endpoint}/models} with {@code Authorization: Bearer <key>}; the endpoint includes {@code /v1}. */
    public static final Probe OPENAI = (client, backend, key) -> {
        Request request = get(client, backend, backend.endpoint() + "/models");
        if (key != null)
            request.headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + key));
        return request;
    };

    /**
     * {@code GET {endpoint}/openai/models?api-version={api_version}} with {@code api-key}. Deployments have no
     * cheap read of their own in the dated API, so the resource's model list stands for all of them.
     */
    public static final Probe AZURE = (client, backend, key) -> withApiKey(get(client, backend,
        backend.endpoint() + "/openai/models?api-version="
            + URLEncoder.encode(backend.config().apiVersion(), StandardCharsets.UTF_8)), key);

    /** {@code GET {endpoint}/openai/v1/models} with {@code api-key}. */
    public static final Probe AZURE_V1 = (client, backend, key) ->
        withApiKey(get(client, backend, backend.endpoint() + "/openai/v1/models"), key);

    private FlavorProbes() {
    }

    /** The default probe of the flavor. */
    public static Probe of(Flavor flavor) {
        return switch (flavor) {
            case OPENAI -> OPENAI;
            case AZURE -> AZURE;
            case AZURE_V1 -> AZURE_V1;
        };
    }

    private static Request get(HttpClient client, Backend backend, String url) {
        return client.newRequest(url)
            .method(HttpMethod.GET)
            .headers(headers -> backend.config().headers().forEach(headers::put));
    }

    private static Request withApiKey(Request request, String key) {
        if (key != null)
            request.headers(headers -> headers.put("api-key", key));
        return request;
    }
}
