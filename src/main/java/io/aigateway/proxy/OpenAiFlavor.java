package io.aigateway.proxy;

import io.aigateway.registry.Deployment;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * OpenAI and every OpenAI-compatible API (DeepSeek, Gemini's OpenAI endpoint, NVIDIA NIM, vLLM, Ollama): the
 * endpoint is the base URL including {@code /v1}, the model goes in the body, the key is a bearer token.
 */
final class OpenAiFlavor implements UpstreamFlavor {
    @Override
    public String url(Deployment deployment, Inbound inbound, String query) {
        StringBuilder url = new StringBuilder(deployment.backend().endpoint()).append('/');
        switch (inbound.operation()) {
            case RESPONSE_ITEM -> url.append("responses/").append(inbound.responseId()).append(inbound.subPath());
            case PASSTHROUGH -> url.append(inbound.subPath());
            default -> url.append(inbound.operation().path());
        }
        if (query != null)
            url.append('?').append(query);
        return url.toString();
    }

    @Override
    public boolean supports(Operation operation) {
        return true;
    }

    @Override
    public void authenticate(HttpFields.Mutable headers, String key) {
        headers.put(HttpHeader.AUTHORIZATION, "Bearer " + key);
    }
}
