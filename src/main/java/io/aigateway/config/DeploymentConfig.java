package io.aigateway.config;

/**
 * One model a backend serves: an entry of {@code backends[].deployments[]} (or of the {@code models[]} shorthand).
 *
 * @param name  {@code deployments[].name}: what the backend calls it, the Azure deployment name or the upstream
 *              model name; sent upstream in place of the public name
 * @param model {@code deployments[].model}: the public model name clients ask for
 */
public record DeploymentConfig(String name, String model) {

    /** @throws ConfigException if either name is missing or blank */
    public DeploymentConfig {
        Problems problems = new Problems();
        Names.requireNonBlank(problems, "name", name);
        Names.requireNonBlank(problems, "model", model);
        problems.throwIfAny("DeploymentConfig");
    }
}
