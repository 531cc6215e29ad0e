package io.aigateway.admin.jmx;

/**
 * {@code aigateway:type=Backend,name=<backend>}: one {@code backends[]} entry. Shows counts of keys, never a key,
 * and the endpoint's host, never its full URL.
 */
public interface BackendMBean {
    /** {@code backends[].name}. */
    String getName();

    /** {@code backends[].flavor}: {@code openai}, {@code azure} or {@code azure-v1}. */
    String getFlavor();

    /** {@code backends[].enabled}. */
    boolean isEnabled();

    /** The host (and port, when the endpoint names one) of {@code backends[].endpoint}. */
    String getEndpointHost();

    /** {@code backends[].priority}: lower is preferred. */
    int getPriority();

    /** {@code backends[].weight}. */
    int getWeight();

    /** How many keys {@code backends[].keys} holds. */
    int getKeysTotal();

    /** How many of them are in rotation (a key the backend refused is taken out until a reload). */
    int getKeysEnabled();

    /** The names of its deployments. */
    String[] getDeployments();
}
