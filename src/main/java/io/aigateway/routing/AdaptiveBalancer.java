package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Smooth weighted round robin within the lowest priority tier that has an eligible deployment, over effective
 * weights that follow what the deployments do: configured weight × success factor × latency factor.
 *
 * <ul>
 *   <li>success factor: (success rate / best success rate in the tier)², so errors cost a deployment its share
 *       only relative to its peers; when all fail alike, moving traffic would not help.</li>
 *   <li>latency factor: {@value #LATENCY_TOLERANCE} × the tier's best peak-EWMA first byte / its own, at most 1,
 *       so noise within that tolerance costs nothing and a deployment twice as slow as that keeps half its share.
 *       Judged on streaming or non-streaming samples, as {@link LatencyBalancer} does; no samples, no penalty.</li>
 * </ul>
 *
 * <p>The weights are recomputed at most once per interval, and each recomputation moves a weight at most
 * {@value #MAX_STEP}× up or down, so a failing deployment drains over several intervals and a recovered one
 * comes back the same way, rather than flapping. A weight never goes below {@value #FLOOR} of the configured one:
 * the deployment keeps getting the probe traffic that shows it has recovered. A new balancer (after a reload)
 * starts at the targets the shared statistics give, without stepping.
 *
 * <p>Lock-free: the weights are an immutable snapshot behind an atomic reference, replaced by whichever request
 * first finds them stale; each snapshot caches the smooth sequence per set of eligible members, and choosing is
 * an atomic increment and an array read.
 */
public final class AdaptiveBalancer implements Balancer {
    /** How often the effective weights are recomputed: one second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** The largest factor by which one recomputation moves an effective weight, up or down. */
    public static final double MAX_STEP = 2.0;
    /** The smallest effective weight, as a fraction of the configured weight. */
    public static final double FLOOR = 0.01;
    /** How many times slower than the fastest of its tier a deployment may be without losing share. */
    public static final double LATENCY_TOLERANCE = 1.5;

    /** Effective weights are rounded to this many parts of their tier's total for the smooth sequence. */
    private static final int RESOLUTION = 1000;
    /** Masks are longs; a tier with more members skips ineligible ones in its full sequence. */
    private static final int MAX_MASKED = 64;

    private final Clock clock;
    private final long intervalMillis;
    private final Tier[] tiers;
    private final AtomicReference<Weights> weights;

    public AdaptiveBalancer(List<Deployment> candidates, DeploymentStatsRegistry registry, Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        List<Deployment[]> byPriority = PriorityTiers.of(candidates);
        this.tiers = new Tier[byPriority.size()];
        for (int t = 0; t < tiers.length; t++)
            tiers[t] = new Tier(byPriority.get(t), registry);
        double[][] targets = new double[tiers.length][];
        for (int t = 0; t < tiers.length; t++)
            targets[t] = tiers[t].targets();
        this.weights = new AtomicReference<>(new Weights(targets, clock.millis() + intervalMillis));
    }

    /** The strategy with the default interval: one balancer per route, all reading the same statistics. */
    public static Balancer.Strategy strategy(DeploymentStatsRegistry registry, Clock clock) {
        return candidates -> new AdaptiveBalancer(candidates, registry, clock, DEFAULT_INTERVAL);
    }

    @Override
    public Deployment choose(Predicate<Deployment> eligible) {
        Weights current = current();
        for (int t = 0; t < tiers.length; t++) {
            Deployment chosen = tiers[t].choose(eligible, current.quanta[t], current.sequences.get(t));
            if (chosen != null)
                return chosen;
        }
        return null;
    }

    /** The deployment's current effective weight, or NaN when it is not a candidate of this balancer. */
    public double effectiveWeight(Deployment deployment) {
        Weights current = current();
        for (int t = 0; t < tiers.length; t++) {
            Deployment[] members = tiers[t].members;
            for (int i = 0; i < members.length; i++) {
                if (members[i].id().equals(deployment.id()))
                    return current.effective[t][i];
            }
        }
        return Double.NaN;
    }

    private Weights current() {
        Weights current = weights.get();
        long now = clock.millis();
        if (now < current.nextAtMillis)
            return current;
        double[][] effective = new double[tiers.length][];
        for (int t = 0; t < tiers.length; t++) {
            double[] previous = current.effective[t];
            double[] targets = tiers[t].targets();
            effective[t] = new double[targets.length];
            for (int i = 0; i < targets.length; i++)
                effective[t][i] = Math.min(previous[i] * MAX_STEP, Math.max(previous[i] / MAX_STEP, targets[i]));
        }
        Weights next = new Weights(effective, now + intervalMillis);
        // Whoever loses the race uses the winner's weights: one recomputation per interval.
        return weights.compareAndSet(current, next) ? next : weights.get();
    }

    /** One priority tier: its members, their statistics, and the position in the smooth sequence. */
    private static final class Tier {
        private final Deployment[] members;
        private final DeploymentStats[] stats;
        private final int[] allPositions;
        private final AtomicLong counter = new AtomicLong();

        Tier(Deployment[] members, DeploymentStatsRegistry registry) {
            this.members = members;
            this.stats = new DeploymentStats[members.length];
            this.allPositions = new int[members.length];
            for (int i = 0; i < members.length; i++) {
                stats[i] = registry.stats(members[i]);
                allPositions[i] = i;
            }
        }

        /** The weights the statistics call for now: configured weight × success factor × latency factor. */
        double[] targets() {
            double bestSuccess = 0;
            for (DeploymentStats member : stats)
                bestSuccess = Math.max(bestSuccess, member.successRate());
            boolean stream = LatencyBalancer.judgedOnStreams(stats, allPositions);
            double bestLatency = Double.POSITIVE_INFINITY;
            for (DeploymentStats member : stats) {
                FirstByteStats firstByte = member.firstByte(stream);
                if (firstByte.samples() > 0)
                    bestLatency = Math.min(bestLatency, firstByte.peakEwmaNanos());
            }

            double[] targets = new double[members.length];
            for (int i = 0; i < members.length; i++) {
                double success = bestSuccess > 0 ? stats[i].successRate() / bestSuccess : 1;
                double latency = 1;
                FirstByteStats firstByte = stats[i].firstByte(stream);
                if (firstByte.samples() > 0 && firstByte.peakEwmaNanos() > 0)
                    latency = Math.min(1, LATENCY_TOLERANCE * bestLatency / firstByte.peakEwmaNanos());
                targets[i] = members[i].weight() * Math.max(FLOOR, success * success * latency);
            }
            return targets;
        }

        Deployment choose(Predicate<Deployment> eligible, int[] quanta, Map<Long, int[]> sequences) {
            int n = members.length;
            if (n == 1)
                return eligible.test(members[0]) ? members[0] : null;
            if (n > MAX_MASKED)
                return chooseUnmasked(eligible, sequences.computeIfAbsent(-1L, all -> sequence(quanta, -1L)));
            long mask = 0;
            for (int i = 0; i < n; i++) {
                if (eligible.test(members[i]))
                    mask |= 1L << i;
            }
            if (mask == 0)
                return null;
            int[] sequence = sequences.computeIfAbsent(mask, m -> sequence(quanta, m));
            return members[sequence[(int)Math.floorMod(counter.getAndIncrement(), (long)sequence.length)]];
        }

        private Deployment chooseUnmasked(Predicate<Deployment> eligible, int[] fullSequence) {
            long start = counter.getAndIncrement();
            for (int step = 0; step < fullSequence.length; step++) {
                Deployment candidate = members[fullSequence[(int)Math.floorMod(start + step, (long)fullSequence.length)]];
                if (eligible.test(candidate))
                    return candidate;
            }
            return null;
        }

        private static int[] sequence(int[] quanta, long mask) {
            return SmoothSequence.of(quanta, mask);
        }
    }

    /** One recomputation: effective weights per tier, their rounding, and the sequences built from it. */
    private static final class Weights {
        final double[][] effective;
        final int[][] quanta;
        final List<Map<Long, int[]>> sequences;
        final long nextAtMillis;

        Weights(double[][] effective, long nextAtMillis) {
            this.effective = effective;
            this.nextAtMillis = nextAtMillis;
            this.quanta = new int[effective.length][];
            List<Map<Long, int[]>> caches = new ArrayList<>();
            for (int t = 0; t < effective.length; t++) {
                double total = 0;
                for (double weight : effective[t])
                    total += weight;
                quanta[t] = new int[effective[t].length];
                for (int i = 0; i < effective[t].length; i++)
                    quanta[t][i] = (int)Math.max(1, Math.round(effective[t][i] / total * RESOLUTION));
                caches.add(new ConcurrentHashMap<>());
            }
            this.sequences = List.copyOf(caches);
        }
    }
}
