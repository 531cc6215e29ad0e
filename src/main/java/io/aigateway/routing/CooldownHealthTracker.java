package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passive health without circuit breakers: a deployment that fails is taken out for a cooldown, then tried again by
 * real traffic; a connection failure takes out every deployment on the same endpoint; a pause a backend asks for is
 * honoured. State is keyed by deployment id and endpoint, so it survives config reloads.
 */
public final class CooldownHealthTracker implements HealthTracker {
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);

    private final Clock clock;
    private final long cooldownMillis;
    private final Map<String, Long> deploymentDownUntil = new ConcurrentHashMap<>();
    private final Map<String, Long> endpointDownUntil = new ConcurrentHashMap<>();
    private final Map<String, String> flagged = new ConcurrentHashMap<>();

    public CooldownHealthTracker(Clock clock, Duration cooldown) {
        this.clock = clock;
        this.cooldownMillis = cooldown.toMillis();
    }

    @Override
    public boolean isAvailable(Deployment deployment) {
        if (deploymentDownUntil.isEmpty() && endpointDownUntil.isEmpty() && flagged.isEmpty())
            return true;
        long now = clock.millis();
        return !flagged.containsKey(deployment.id())
            && !isDown(deploymentDownUntil, deployment.id(), now)
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

    @Override
    public void bench(Deployment deployment, Duration pause) {
        long until = clock.millis() + pause.toMillis();
        deploymentDownUntil.merge(deployment.id(), until, Math::max);
    }

    @Override
    public void flag(Deployment deployment, String reason) {
        flagged.put(deployment.id(), reason);
    }

    @Override
    public Instant nextAvailableAt(Collection<Deployment> deployments) {
        long now = clock.millis();
        long soonest = Long.MAX_VALUE;
        for (Deployment deployment : deployments) {
            if (flagged.containsKey(deployment.id()))
                continue;
            long until = Math.max(deploymentDownUntil.getOrDefault(deployment.id(), now),
                endpointDownUntil.getOrDefault(deployment.backend().endpointKey(), now));
            soonest = Math.min(soonest, until);
        }
        return soonest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(soonest);
    }
}
