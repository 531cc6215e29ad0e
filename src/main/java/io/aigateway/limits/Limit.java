package io.aigateway.limits;

/**
 * One limit: so many requests or tokens per minute, or so many requests at once, for one subject at one scope.
 *
 * @param scope   where it applies
 * @param subject who it applies to within the scope ({@code team}, {@code team/key-1}, {@code gpt-4o},
 *                {@code team/gpt-4o}, {@code backend/deployment}); never a key itself
 * @param kind    what it counts
 * @param limit   how many per minute (or at once); positive
 */
public record Limit(Scope scope, String subject, Kind kind, long limit) {

    /** What a limit counts. */
    public enum Kind {
        REQUESTS,
        TOKENS,
        CONCURRENCY;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** The kind's name in limit keys. */
        public String label() {
            return label;
        }
    }

    public Limit {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0");
        }
    }

    /**
     * The store's name for this limit's state: the same on every gateway instance. The limit is part of it, so that a
     * changed limit starts afresh instead of reading a state made at another rate.
     */
    public String key() {
        return scope.label() + ":" + subject + ":" + kind.label() + ":" + limit;
    }
}
