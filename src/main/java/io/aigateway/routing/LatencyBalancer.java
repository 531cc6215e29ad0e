package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Within the lowest priority tier that has an eligible deployment, the power of two choices on Finagle's cost:
 * peak-EWMA time to first byte times (requests in flight + 1), divided by weight. A fast deployment therefore
 * takes traffic until its queue makes it as slow as the others.
 *
 * <p>Streaming and non-streaming first bytes are not comparable, so the tier is judged on whichever kind more of
 * its eligible members have samples of (streaming on a tie). A member with no sample of that kind is charged the
 * mean of the others, so it is tried as an average deployment rather than avoided or flooded; with no samples at
 * all, the cost is just the load. The estimate decays toward zero while a deployment gets no samples, so one that
 * was slow once is probed again after a while of idleness.
 */
public final class LatencyBalancer extends PowerOfTwoChoices {
    /** The floor of an estimate, in nanoseconds, so that load still separates deployments whose estimate decayed to 0. */
    private static final double MIN_ESTIMATE_NANOS = 1.0;

    private final Clock clock;

    /** @param random shared by every request, so it must be safe for concurrent use (ThreadLocalRandom.current()) */
    public LatencyBalancer(List<Deployment> candidates, DeploymentStatsRegistry registry, RandomGenerator random) {
        super(candidates, registry, random);
        this.clock = registry.clock();
    }

    /** The strategy: one balancer per route, all reading the same statistics. */
    public static Balancer.Strategy strategy(DeploymentStatsRegistry registry, RandomGenerator random) {
        return candidates -> new LatencyBalancer(candidates, registry, random);
    }

    @Override
    protected int pick(int t, int[] positions, int a, int b) {
        DeploymentStats[] members = stats[t];
        long now = FirstByteStats.nanos(clock.instant());
        boolean stream = judgedOnStreams(members, positions);

        double sum = 0;
        int known = 0;
        for (int position : positions) {
            FirstByteStats firstByte = members[position].firstByte(stream);
            if (firstByte.samples() > 0) {
                sum += firstByte.decayedPeakEwmaNanos(now);
                known++;
            }
        }
        double neutral = known == 0 ? MIN_ESTIMATE_NANOS : sum / known;

        // A tie goes to a, itself random.
        return cost(t, b, stream, neutral, now) < cost(t, a, stream, neutral, now) ? b : a;
    }

    private double cost(int t, int position, boolean stream, double neutral, long now) {
        DeploymentStats member = stats[t][position];
        FirstByteStats firstByte = member.firstByte(stream);
        double estimate = firstByte.samples() > 0 ? firstByte.decayedPeakEwmaNanos(now) : neutral;
        return Math.max(estimate, MIN_ESTIMATE_NANOS) * (member.inFlight() + 1) / tiers.get(t)[position].weight();
    }

    /** Whether more of the eligible members have streaming samples than non-streaming ones. */
    static boolean judgedOnStreams(DeploymentStats[] members, int[] positions) {
        int streaming = 0;
        int nonStreaming = 0;
        for (int position : positions) {
            if (members[position].firstByte(true).samples() > 0)
                streaming++;
            if (members[position].firstByte(false).samples() > 0)
                nonStreaming++;
        }
        return streaming >= nonStreaming;
    }
}
