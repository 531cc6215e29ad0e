package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passive health: a deployment that fails is taken out for a cooldown, then tried again by real traffic. A
 * connection failure takes out every deployment on the same endpoint. State is keyed by deployment id and
 * endpoint, so it survives config reloads.
 */
public final class CooldownHealthTracker implements HealthTracker {
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);

    private final Clock clock;
    private final long cooldownMillis;
    private final Map<String, Long> deploymentDownUntil = new ConcurrentHashMap<>();
    private final Map<String, Long> endpointDownUntil = new ConcurrentHashMap<>();

    public CooldownHealthTracker(Clock clock, Duration cooldown) {
        this.clock = clock;
        this.cooldownMillis = cooldown.toMillis();
    }

    @Override
    public boolean isAvailable(Deployment deployment) {
        if (deploymentDownUntil.isEmpty() && endpointDownUntil.isEmpty())
            return true;
        long now = clock.millis();
        return !isDown(deploymentDownUntil, deployment.id(), now)
            && !isDown(endpointDownUntil, deployment.backend().endpointKey(), now);
    }

    private static boolean isDown(Map<String, Long> downUntil, String key, long now) {
        Long until = downUntil.get(key);
        return until != null && now < until;
    }

    @Override
    public void recordSuccess(Deployment deployment) {
        if (!deploymentDownUntil.isEmpty())
            deploymentDownUntil.remove(deployment.id());
        if (!endpointDownUntil.isEmpty())
            endpointDownUntil.remove(deployment.backend().endpointKey());
    }

    @Override
    public void recordFailure(Deployment deployment, FailureClass failure) {
        if (!failure.unhealthy())
            return;
        long until = clock.millis() + cooldownMillis;
        if (failure.endpointWide())
            endpointDownUntil.put(deployment.backend().endpointKey(), until);
        else
            deploymentDownUntil.put(deployment.id(), until);
    }
}
