package io.aigateway.admin.jmx;

/**
 * {@code aigateway:type=Backend,name=<backend>}: one {@code backends[]} entry. Shows counts of keys, never a key,
 * and the endpoint's host, never its full URL. Its operations set the operator state of every deployment it has
 * now (see {@link DeploymentMBean}); a deployment a later reload adds starts {@code ENABLED}.
 */
public interface BackendMBean {
    /** {@code backends[].name}. */
    String getName();

    /** {@code backends[].flavor}: {@code openai}, {@code azure} or {@code azure-v1}. */
    String getFlavor();

    /** {@code backends[].enabled}, as configured; operator states are per deployment ({@code OperatorState}). */
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

    /** {@link DeploymentMBean#enable()} for each of its deployments: back into rotation, their health deciding. */
    void enable();

    /** {@link DeploymentMBean#disable()} for each of its deployments: no traffic until enabled. */
    void disable();

    /** {@link DeploymentMBean#drain()} for each of its deployments: no new requests, those in flight finish. */
    void drain();
}
