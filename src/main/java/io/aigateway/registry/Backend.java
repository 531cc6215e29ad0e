package io.aigateway.registry;

import io.aigateway.config.BackendConfig;
import io.aigateway.config.DeploymentConfig;
import io.aigateway.config.Flavor;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A configured upstream service (one endpoint, one flavor, its keys) and the deployments it serves. */
public final class Backend {
    private final BackendConfig config;
    private final String endpoint;
    private final String endpointKey;
    private final KeyRing keys;
    private final List<Deployment> deployments;

    Backend(BackendConfig config) {
        this.config = config;
        this.endpoint = stripTrailingSlash(config.endpoint().toString());
        this.endpointKey = endpointKey(config.endpoint());
        this.keys = new KeyRing(config.keys());
        List<Deployment> list = new ArrayList<>();
        for (DeploymentConfig deployment : config.deployments())
            list.add(new Deployment(this, deployment));
        this.deployments = List.copyOf(list);
    }

    public String name() {
        return config.name();
    }

    public Flavor flavor() {
        return config.flavor();
    }

    /** The endpoint URL without a trailing slash, ready to have paths appended. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * {@code scheme://host:port}: deployments that share it share a network path, so a connection failure on one
     * counts against all of them.
     */
    public String endpointKey() {
        return endpointKey;
    }

    public KeyRing keys() {
        return keys;
    }

    public BackendConfig config() {
        return config;
    }

    public List<Deployment> deployments() {
        return deployments;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String endpointKey(URI uri) {
        int port = uri.getPort();
        if (port < 0)
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port;
    }

    @Override
    public String toString() {
        return "Backend[" + name() + " " + flavor().configName() + " " + endpoint + "]";
    }
}
