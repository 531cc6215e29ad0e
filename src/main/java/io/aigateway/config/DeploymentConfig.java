package io.aigateway.config;

/**
 * One model a backend serves: an entry of {@code backends[].deployments[]} (or of the {@code models[]} shorthand).
 *
 * @param name             {@code deployments[].name}: what the backend calls it, the Azure deployment name or the
 *                         upstream model name; sent upstream in place of the public name
 * @param model            {@code deployments[].model}: the public model name clients ask for
 * @param maxContextTokens {@code deployments[].max_context_tokens}: the largest context window the deployment
 *                         accepts, in tokens, so that a request too large for it goes to another deployment;
 *                         positive, null (no limit known) when absent
 * @param stream           {@code deployments[].stream}: whether the deployment takes streaming requests; default
 *                         true
 * @param nonStream        {@code deployments[].non_stream}: whether it takes non-streaming requests; default true.
 *                         At least one of the two must be true.
 * @param limits           {@code deployments[].limits}: {@code rpm} and {@code tpm} the deployment itself may take
 *                         (its quota at the provider), counted over every tenant; a deployment at its limit is
 *                         skipped like an unavailable one. None when absent, and always none for the
 *                         {@code models[]} shorthand (write the deployment out to give it limits).
 */
public record DeploymentConfig(String name, String model, Integer maxContextTokens, boolean stream,
        boolean nonStream, RateLimitConfig limits) {

    /** @throws ConfigException naming each field that breaks its rule */
    public DeploymentConfig {
        Problems problems = new Problems();
        Names.requireNonBlank(problems, "name", name);
        Names.requireNonBlank(problems, "model", model);
        if (maxContextTokens != null && maxContextTokens <= 0) {
            problems.add("max_context_tokens", "must be a positive number of tokens");
        }
        if (!stream && !nonStream) {
            problems.add("", "takes no request (stream and non_stream are both false)");
        }
        problems.throwIfAny("DeploymentConfig");
        limits = limits == null ? RateLimitConfig.NONE : limits;
    }

    /** A deployment without limits of its own. */
    public DeploymentConfig(String name, String model, Integer maxContextTokens, boolean stream, boolean nonStream) {
        this(name, model, maxContextTokens, stream, nonStream, RateLimitConfig.NONE);
    }

    /** A deployment with no known context limit that takes streaming and non-streaming requests. */
    public DeploymentConfig(String name, String model) {
        this(name, model, null, true, true);
    }

    /** Whether the deployment takes a streaming (true) or a non-streaming (false) request. */
    public boolean accepts(boolean streamRequest) {
        return streamRequest ? stream : nonStream;
    }
}
