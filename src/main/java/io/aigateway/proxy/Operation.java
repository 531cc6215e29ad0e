package io.aigateway.proxy;

/** The OpenAI operations the gateway understands; everything else under {@code /v1/} is {@link #PASSTHROUGH}. */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions"),
    COMPLETIONS("completions"),
    EMBEDDINGS("embeddings"),
    RESPONSES("responses"),
    /** {@code GET|DELETE /v1/responses/{id}} and its sub-resources: goes back to the backend that created it. */
    RESPONSE_ITEM("responses"),
    /** Any other {@code /v1/*} request, sent as is to an {@code openai}-flavor backend serving its model. */
    PASSTHROUGH("");

    private final String path;

    Operation(String path) {
        this.path = path;
    }

    /** The path of this operation relative to an OpenAI base URL ({@code .../v1}). */
    public String path() {
        return path;
    }

    /** Whether the request body names the model and is rewritten with the deployment name. */
    public boolean routesByModel() {
        return this != RESPONSE_ITEM;
    }
}
