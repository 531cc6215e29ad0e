package io.aigateway.config;

/**
 * A set of rate limits at one scope: {@code tenants[].limits}, {@code tenants[].keys[].limits},
 * {@code tenants[].model_limits.<model>}, {@code models.limits.<model>} or {@code backends[].deployments[].limits}.
 * Each limit is optional; a scope with none of them limits nothing.
 *
 * @param rpm         {@code limits.rpm}: requests per minute, over a sliding minute (GCRA, so no double burst at a
 *                    boundary); positive, null for no limit
 * @param tpm         {@code limits.tpm}: tokens (prompt plus completion) per minute, reserved on admission and settled
 *                    against real usage; positive, null for no limit
 * @param concurrency {@code limits.concurrency}: requests in flight at once; more are refused at once with 429, never
 *                    queued. Positive, null for no limit. Only tenants and keys have it.
 */
public record RateLimitConfig(Long rpm, Long tpm, Integer concurrency) {

    /** No limit at all. */
    public static final RateLimitConfig NONE = new RateLimitConfig(null, null, null);

    /** @throws ConfigException naming each limit that is not positive */
    public RateLimitConfig {
        Problems problems = new Problems();
        if (rpm != null && rpm <= 0) {
            problems.add("rpm", "must be > 0");
        }
        if (tpm != null && tpm <= 0) {
            problems.add("tpm", "must be > 0");
        }
        if (concurrency != null && concurrency <= 0) {
            problems.add("concurrency", "must be > 0");
        }
        problems.throwIfAny("RateLimitConfig");
    }

    /** Requests and tokens per minute only. */
    public static RateLimitConfig perMinute(Long rpm, Long tpm) {
        return new RateLimitConfig(rpm, tpm, null);
    }

    /** Whether any limit is set. */
    public boolean isLimited() {
        return rpm != null || tpm != null || concurrency != null;
    }
}
