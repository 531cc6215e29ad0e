package io.aigateway.proxy;

import io.aigateway.config.AdaptiveTimeoutConfig;
import io.aigateway.config.TimeoutsConfig;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FirstByteTimeoutTest {
    private static final TimeoutsConfig FIXED = new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(5), Duration.ofSeconds(60), null);
    private static final TimeoutsConfig ADAPTIVE = new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(5), Duration.ofSeconds(60), new AdaptiveTimeoutConfig(Duration.ofSeconds(1), Duration.ofSeconds(20)));

    @Test
    void streamsAndNonStreamsHaveTheirOwnFixedTimeout() {
        DeploymentStats stats = new DeploymentStats(new TestClock());
        assertEquals(Duration.ofSeconds(5), FirstByteTimeout.of(FIXED, true, stats));
        assertEquals(Duration.ofSeconds(60), FirstByteTimeout.of(FIXED, false, stats));
    }

    @Test
    void adaptiveTimeoutIsTwiceTheObservedP99WithinItsBounds() {
        TestClock clock = new TestClock();
        DeploymentStats stats = new DeploymentStats(clock);
        assertEquals(Duration.ofSeconds(5), FirstByteTimeout.of(ADAPTIVE, true, stats), "no samples: the configured one, clamped");
        assertEquals(Duration.ofSeconds(20), FirstByteTimeout.of(ADAPTIVE, false, stats), "60s clamped to max");

        for (int i = 0; i < 100; i++)
            stats.firstByte(true).record(Duration.ofMillis(2000));
        assertEquals(Duration.ofSeconds(4), FirstByteTimeout.of(ADAPTIVE, true, stats));

        DeploymentStats fast = new DeploymentStats(clock);
        for (int i = 0; i < 100; i++)
            fast.firstByte(true).record(Duration.ofMillis(100));
        assertEquals(Duration.ofSeconds(1), FirstByteTimeout.of(ADAPTIVE, true, fast), "never below min");
    }
}
