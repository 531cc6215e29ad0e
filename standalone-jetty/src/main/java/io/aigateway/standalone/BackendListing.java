package io.aigateway.standalone;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.DeploymentConfig;
import io.aigateway.config.GatewayConfig;

import java.io.PrintStream;
import java.util.Map;

/**
 * What {@code --list-backends} prints: each backend with its routing settings and deployments, then the aliases.
 * Keys are counted, never shown.
 */
final class BackendListing {
    private BackendListing() {
    }

    static void print(GatewayConfig config, PrintStream out) {
        out.println("backends (" + config.backends().size() + "):");
        for (BackendConfig backend : config.backends()) {
            out.println("  " + backend.name() + ": flavor=" + backend.flavor().configName()
                + " endpoint=" + backend.endpoint()
                + " enabled=" + backend.enabled()
                + " weight=" + backend.weight()
                + " priority=" + backend.priority()
                + " keys=" + backend.keys().size());
            for (DeploymentConfig deployment : backend.deployments())
                out.println("    deployment " + deployment.name() + " -> " + deployment.model());
        }
        Map<String, AliasConfig> aliases = config.models().aliases();
        out.println("aliases (" + aliases.size() + "):");
        aliases.forEach((alias, target) -> out.println("  " + alias + " -> " + target.target()));
    }
}
