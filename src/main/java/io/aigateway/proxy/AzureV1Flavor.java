package io.aigateway.proxy;

import io.aigateway.registry.Deployment;
import org.eclipse.jetty.http.HttpFields;

/**
 * Azure OpenAI's v1 API: OpenAI's paths under {@code {endpoint}/openai/v1/}, no {@code api-version}, the
 * deployment as {@code model}, and an {@code api-key} header.
 */
final class AzureV1Flavor implements UpstreamFlavor {
    @Override
    public String url(Deployment deployment, Inbound inbound, String query) {
        StringBuilder url = new StringBuilder(deployment.backend().endpoint()).append("/openai/v1/");
        switch (inbound.operation()) {
            case RESPONSE_ITEM -> url.append("responses/").append(inbound.responseId()).append(inbound.subPath());
            case PASSTHROUGH -> {
                return null;
            }
            default -> url.append(inbound.operation().path());
        }
        if (query != null)
            url.append('?').append(query);
        return url.toString();
    }

    @Override
    public void authenticate(HttpFields.Mutable headers, String key) {
        headers.put("api-key", key);
    }
}
