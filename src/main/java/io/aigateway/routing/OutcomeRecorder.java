package io.aigateway.routing;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.KeyRing;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What each class of outcome does to the deployment that produced it: breaker counts for transient failures, a
 * bench for the pause a rate-limited or spent deployment asked for, a disabled key for a refused one, a flag for a
 * deployment that is gone. Caller faults touch nothing. The one place where outcomes change health.
 */
public final class OutcomeRecorder {
    private static final Logger LOG = LogManager.getLogger(OutcomeRecorder.class);

    /** A 429 that does not say how long to wait benches the deployment this long. */
    public static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(10);

    private final HealthTracker health;
    private final Clock clock;
    private final Duration maxRetryAfter;

    public OutcomeRecorder(HealthTracker health, Clock clock, Duration maxRetryAfter) {
        this.health = health;
        this.clock = clock;
        this.maxRetryAfter = maxRetryAfter;
    }

    public HealthTracker health() {
        return health;
    }

    /**
     * Records a reply: for a success, what its headers say (a spent rate-limit window); for anything else, the
     * whole outcome. A success is recorded with {@link #onSuccess} once it has been relayed to its end.
     *
     * @param keyIndex the position of the key the request used in the backend's {@link KeyRing}, or -1
     * @param header   the reply's headers, by case-insensitive name
     */
    public void onReply(Deployment deployment, int keyIndex, FailureClass outcome, Function<String, String> header) {
        switch (outcome) {
            case SUCCESS -> {
                // Only the headers so far: the call's outcome is recorded when it ends (a stream may still break).
                Duration exhausted = RetryAfter.exhaustedFor(header, maxRetryAfter);
                if (exhausted != null && !exhausted.isZero())
                    health.bench(deployment, exhausted);
            }
            case RATE_LIMITED -> health.bench(deployment, pause(header, min(DEFAULT_RATE_LIMIT_PAUSE, maxRetryAfter)));
            case QUOTA_EXHAUSTED -> health.bench(deployment, pause(header, maxRetryAfter));
            case CREDENTIAL -> refusedKey(deployment, keyIndex);
            case DEPLOYMENT_GONE -> {
                LOG.warn("Deployment {} does not exist upstream: taken out of rotation", deployment.id());
                health.flag(deployment, "deployment not found upstream");
            }
            default -> {
                // Transient classes count against the breaker; caller faults and the rest only end the call.
            }
        }
        if (outcome != FailureClass.SUCCESS)
            health.recordFailure(deployment, outcome);
    }

    /** Records a call whose successful reply was relayed to its end. */
    public void onSuccess(Deployment deployment) {
        health.recordSuccess(deployment);
    }

    /**
     * Records a request that failed without a reply (connection, timeout, broken stream, refused certificate). A
     * refused certificate is the backend's, so every deployment on it is flagged: the next request goes elsewhere
     * at once instead of failing one handshake per deployment.
     */
    public void onFailure(Deployment deployment, FailureClass outcome) {
        if (outcome == FailureClass.TLS_FAILURE) {
            LOG.warn("Backend {} failed TLS verification (certificate not trusted, or not for its host): its deployments"
                + " are taken out of rotation; trust a private CA with backends[].tls.ca_file", deployment.backend().name());
            for (Deployment each : deployment.backend().deployments())
                health.flag(each, "TLS verification failed");
        }
        health.recordFailure(deployment, outcome);
    }

    private void refusedKey(Deployment deployment, int keyIndex) {
        KeyRing keys = deployment.backend().keys();
        if (keyIndex >= 0 && keys.disable(keyIndex)) {
            LOG.warn("Backend {} refused its key #{} ({} of {} keys left in rotation)", deployment.backend().name(),
                keyIndex + 1, keys.enabledCount(), keys.size());
            health.keyDisabled(deployment, keyIndex);
        }
        if (keyIndex < 0 || keys.exhausted()) {
            LOG.warn("Backend {} refused every key: deployment {} taken out of rotation", deployment.backend().name(), deployment.id());
            health.flag(deployment, "credentials refused");
        }
    }

    private Duration pause(Function<String, String> header, Duration fallback) {
        Duration asked = RetryAfter.of(header, clock, maxRetryAfter);
        return asked != null ? asked : fallback;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
