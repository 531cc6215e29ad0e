package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.aigateway.routing.BalancerFixtures.deployments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentStatsTest {
    private static final double MS = 1_000_000.0;

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final DeploymentStats stats = new DeploymentStats(clock);

    @Test
    void peakEwmaJumpsUpAtOnceOnASlowerSample() {
        FirstByteStats firstByte = stats.firstByte(true);
        firstByte.record(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(10));

        firstByte.record(Duration.ofMillis(2_000));

        assertEquals(2_000 * MS, firstByte.peakEwmaNanos(), 1);
    }

    @Test
    void peakEwmaDecaysTowardFasterSamplesWithTheTimeBetweenThem() {
        FirstByteStats firstByte = stats.firstByte(true);
        firstByte.record(Duration.ofMillis(2_000));

        clock.advance(Duration.ofSeconds(1));
        firstByte.record(Duration.ofMillis(100));
        double afterOneSecond = firstByte.peakEwmaNanos();
        // keep exp(-1s / 10s) of the old estimate
        assertEquals(100 + 1_900 * Math.exp(-0.1), afterOneSecond / MS, 0.01);

        clock.advance(Duration.ofSeconds(10));
        firstByte.record(Duration.ofMillis(100));
        double afterTenMore = firstByte.peakEwmaNanos();
        assertEquals(100 + (afterOneSecond / MS - 100) * Math.exp(-1), afterTenMore / MS, 0.01);

        clock.advance(Duration.ofSeconds(60));
        firstByte.record(Duration.ofMillis(100));
        assertEquals(100 + (afterTenMore / MS - 100) * Math.exp(-6), firstByte.peakEwmaNanos() / MS, 0.01);
        assertTrue(firstByte.peakEwmaNanos() / MS < 102, "all but back to the fast latency");
    }

    @Test
    void fasterSamplesAtTheSameInstantDoNotPullTheEstimateDown() {
        FirstByteStats firstByte = stats.firstByte(true);
        firstByte.record(Duration.ofMillis(2_000));

        for (int i = 0; i < 100; i++)
            firstByte.record(Duration.ofMillis(1));

        assertEquals(2_000 * MS, firstByte.peakEwmaNanos(), 1);
    }

    @Test
    void theDecayedEstimateFallsTowardZeroWhileIdle() {
        FirstByteStats firstByte = stats.firstByte(true);
        assertTrue(Double.isNaN(firstByte.decayedPeakEwmaNanos()));
        firstByte.record(Duration.ofMillis(1_000));

        clock.advance(Duration.ofSeconds(10));

        assertEquals(1_000 * Math.exp(-1), firstByte.decayedPeakEwmaNanos() / MS, 0.01);
        assertEquals(1_000 * MS, firstByte.peakEwmaNanos(), 1, "the stored estimate itself is unchanged");
    }

    @Test
    void callsMeasureFirstByteWithTheClockSeparatelyForStreams() {
        DeploymentStats.Call stream = stats.begin(true);
        DeploymentStats.Call nonStream = stats.begin(false);
        clock.advance(Duration.ofMillis(300));
        stream.firstByte();
        stream.firstByte();
        clock.advance(Duration.ofSeconds(20));
        nonStream.firstByte();

        assertEquals(1, stats.firstByte(true).samples());
        assertEquals(300 * MS, stats.firstByte(true).peakEwmaNanos(), 1);
        assertEquals(20_300 * MS, stats.firstByte(false).peakEwmaNanos(), 1);
    }

    @Test
    void inFlightCountsCallsUntilTheirFirstEnding() {
        DeploymentStats.Call one = stats.begin(true);
        DeploymentStats.Call two = stats.begin(true);
        DeploymentStats.Call three = stats.begin(false);
        assertEquals(3, stats.inFlight());

        one.succeeded();
        one.failed();
        two.failed();
        three.abandoned();
        three.succeeded();

        assertEquals(0, stats.inFlight());
        assertEquals(3, stats.started());
        assertEquals(1, stats.succeeded());
        assertEquals(1, stats.failed());
    }

    @Test
    void successRateFollowsRecentOutcomes() {
        assertEquals(1.0, stats.successRate());

        for (int i = 0; i < 100; i++)
            stats.recordOutcome(false);
        assertTrue(stats.successRate() < 0.01, "a burst of failures at one instant still counts: " + stats.successRate());

        stats.recordOutcome(true);
        assertEquals(DeploymentStats.MIN_OUTCOME_WEIGHT, stats.successRate(), 0.01);

        clock.advance(Duration.ofSeconds(30));
        stats.recordOutcome(true);
        assertTrue(stats.successRate() > 0.9, "after a long quiet spell the new outcome dominates: " + stats.successRate());
    }

    @Test
    void p99IsTakenOverTheRecentWindow() {
        FirstByteStats firstByte = stats.firstByte(true);
        assertNull(firstByte.p99());
        for (int i = 1; i <= 100; i++)
            firstByte.record(Duration.ofMillis(i));
        assertEquals(Duration.ofMillis(99), stats.p99FirstByte(true));

        // Old samples leave the window: 256 fast ones push the slow tail out.
        for (int i = 0; i < FirstByteStats.WINDOW; i++)
            firstByte.record(Duration.ofMillis(5));
        assertEquals(Duration.ofMillis(5), firstByte.p99());
        assertNull(stats.p99FirstByte(false));
    }

    @Test
    void theRegistryKeepsStatisticsAcrossReloadsById() {
        TestClock clock = this.clock;
        DeploymentStatsRegistry registry = new DeploymentStatsRegistry(clock);
        Map<String, Deployment> before = deployments("a:1:0", "b:1:0");
        Map<String, Deployment> after = deployments("a:5:0", "b:1:0");

        assertSame(registry.stats(before.get("a")), registry.stats(after.get("a")));
        assertTrue(registry.stats(before.get("a")) != registry.stats(after.get("b")));
    }

    @Test
    void countersAreExactUnderConcurrency() throws Exception {
        int threads = 8;
        int callsPerThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        DeploymentStats.Call call = stats.begin(i % 2 == 0);
                        call.firstByte();
                        if ((i + thread) % 4 == 0)
                            call.failed();
                        else
                            call.succeeded();
                        call.succeeded();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results)
                result.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        long total = (long)threads * callsPerThread;
        assertEquals(0, stats.inFlight());
        assertEquals(total, stats.started());
        assertEquals(total / 4, stats.failed());
        assertEquals(total - total / 4, stats.succeeded());
        assertEquals(total / 2, stats.firstByte(true).samples());
        assertEquals(total / 2, stats.firstByte(false).samples());
        double rate = stats.successRate();
        assertTrue(rate >= 0 && rate <= 1, "rate " + rate);
    }
}
