package io.aigateway.routing;

import io.aigateway.registry.Deployment;

/** Which deployments may take traffic now, learnt from the outcomes of the requests sent to them. */
public interface HealthTracker {
    boolean isAvailable(Deployment deployment);

    void recordSuccess(Deployment deployment);

    /** Records a failure of the given class; classes that are not {@link FailureClass#unhealthy()} are ignored. */
    void recordFailure(Deployment deployment, FailureClass failure);
}
