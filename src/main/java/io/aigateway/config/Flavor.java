package io.aigateway.config;

import java.util.Arrays;
import java.util.Optional;

/** The kind of API a backend speaks, which decides how a request's URL and auth header are written. */
public enum Flavor {
    /** OpenAI or any OpenAI-compatible server: {@code /v1/...} paths, {@code Authorization: Bearer}. */
    OPENAI("openai"),
    /** Azure OpenAI's dated API: {@code /openai/deployments/{name}/...?api-version=}, {@code api-key} header. */
    AZURE("azure"),
    /** Azure OpenAI's v1 API: {@code /openai/v1/...}, no api-version, the deployment name as {@code model}. */
    AZURE_V1("azure-v1");

    private final String configName;

    Flavor(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file's {@code flavor} field. */
    public String configName() {
        return configName;
    }

    /** The flavor with that config name (exact, lower case), if any. */
    public static Optional<Flavor> fromConfigName(String name) {
        return Arrays.stream(values()).filter(flavor -> flavor.configName.equals(name)).findFirst();
    }
}
