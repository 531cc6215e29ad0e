package io.aigateway.routing;

/**
 * One full cycle of nginx's smooth weighted round robin: weights 5,1,1 give a,a,b,a,c,a,a rather than
 * a,a,a,a,a,b,c. Computed once per set of members and then walked with a counter, so choosing needs no lock.
 */
final class SmoothSequence {
    /** Cycles are capped at this length; weights with a larger reduced sum are scaled by the cap. */
    static final int MAX_LENGTH = 1 << 20;

    private SmoothSequence() {
    }

    /**
     * @param weights each member's weight, all positive
     * @param mask    which members take part: bit {@code i} for member {@code i}; members from 64 on always do
     * @return member indexes in the order they are chosen over one cycle
     */
    static int[] of(int[] weights, long mask) {
        int n = weights.length;
        int gcd = 0;
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (inMask(mask, i)) {
                gcd = gcd(gcd, weights[i]);
                total += weights[i];
            }
        }
        long step = total / gcd;
        int length = (int)Math.min(step, MAX_LENGTH);
        int[] result = new int[length];
        long[] current = new long[n];
        for (int k = 0; k < length; k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!inMask(mask, i))
                    continue;
                current[i] += weights[i] / gcd;
                if (best < 0 || current[i] > current[best])
                    best = i;
            }
            current[best] -= step;
            result[k] = best;
        }
        return result;
    }

    static boolean inMask(long mask, int i) {
        return i >= 64 || (mask & (1L << i)) != 0;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
