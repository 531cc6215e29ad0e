package io.aigateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The root {@code limits} section: where limits and quotas are kept and how requests are reserved.
 *
 * @param store            {@code limits.store}: {@code local} (default; in process, one node) or {@code redis}
 *                         (shared by every gateway instance)
 * @param redisUrl         {@code limits.redis.url}: {@code redis://[user:password@]host:port[/db]} or
 *                         {@code rediss://} for TLS; required with {@code store: redis}. Credentials go in the URL
 *                         (use {@code ${env:...}} for the password); they are never logged.
 * @param onStoreFailure   {@code limits.on_store_failure}: {@code fail-open} (default: admit under this instance's
 *                         own local limits while Redis is unreachable) or {@code fail-closed} (503)
 * @param defaultMaxTokens {@code limits.default_max_tokens}: the completion tokens reserved for a request that sets
 *                         neither {@code max_tokens} nor {@code max_completion_tokens}; positive, default 1024
 * @param stateFile        {@code limits.state_file}: where the local store keeps quota counters across restarts when
 *                         the gateway has no database store (with one, they are in its {@code quota_counters} table),
 *                         written atomically; default {@code data/quota-state.json} (relative to the working directory)
 */
public record LimitsConfig(LimitStoreType store, URI redisUrl, StoreFailureMode onStoreFailure, int defaultMaxTokens,
        Path stateFile) {

    public static final int DEFAULT_MAX_TOKENS = 1024;
    public static final Path DEFAULT_STATE_FILE = Path.of("data", "quota-state.json");

    /** @throws ConfigException naming each field that breaks its rule */
    public LimitsConfig {
        Problems problems = new Problems();
        if (store == null) {
            problems.add("store", "is required");
        }
        if (onStoreFailure == null) {
            problems.add("on_store_failure", "is required");
        }
        if (defaultMaxTokens <= 0) {
            problems.add("default_max_tokens", "must be > 0");
        }
        if (stateFile == null) {
            problems.add("state_file", "is required");
        }
        if (store == LimitStoreType.REDIS && redisUrl == null) {
            problems.add("redis.url", "is required when store is redis");
        }
        if (redisUrl != null) {
            String scheme = redisUrl.getScheme() == null ? "" : redisUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("redis") || scheme.equals("rediss")) || redisUrl.getHost() == null) {
                problems.add("redis.url", "must be redis://host:port or rediss://host:port");
            }
        }
        problems.throwIfAny("LimitsConfig");
    }

    /** The section as it is when the file leaves it out: local store, fail-open, 1024 tokens. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(LimitStoreType.LOCAL, null, StoreFailureMode.FAIL_OPEN, DEFAULT_MAX_TOKENS,
                DEFAULT_STATE_FILE);
    }
}
