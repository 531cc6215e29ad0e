package io.aigateway.proxy;

import io.aigateway.registry.Deployment;
import org.eclipse.jetty.http.HttpFields;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI's dated API: {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}
 * with an {@code api-key} header. The Responses API is not per deployment: {@code /openai/responses} with the
 * deployment as {@code model}.
 */
final class AzureFlavor implements UpstreamFlavor {
    @Override
    public String url(Deployment deployment, Inbound inbound, String query) {
        StringBuilder url = new StringBuilder(deployment.backend().endpoint()).append("/openai/");
        switch (inbound.operation()) {
            case CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS -> url.append("deployments/")
                .append(PathSegments.encode(deployment.name())).append('/').append(inbound.operation().path());
            case RESPONSES -> url.append("responses");
            case RESPONSE_ITEM -> url.append("responses/").append(inbound.responseId()).append(inbound.subPath());
            case PASSTHROUGH -> {
                return null;
            }
        }
        url.append("?api-version=")
            .append(URLEncoder.encode(deployment.backend().config().apiVersion(), StandardCharsets.UTF_8));
        if (query != null)
            url.append('&').append(query);
        return url.toString();
    }

    @Override
    public void authenticate(HttpFields.Mutable headers, String key) {
        headers.put("api-key", key);
    }
}
