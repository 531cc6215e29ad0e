package io.aigateway.config;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One entry of {@code tenants[].keys[]}: a gateway key held only as its hash, with the id that logs, metrics and the
 * admin API name it by.
 *
 * <p>In the config file a key is either a plain string (the raw key or {@code sha256:…}) or an object
 * {@code {key | hash, id, expires}}. A plain string gets the id {@code key-} and the first 8 hex digits of its hash,
 * which stays the same when keys are reordered.
 *
 * @param id      {@code keys[].id}: unique within the tenant; letters, digits, {@code . _ -}; never the key itself
 * @param hash    {@code keys[].key} (hashed on load) or {@code keys[].hash} ({@code sha256:} and 64 hex digits)
 * @param expires {@code keys[].expires}: an ISO-8601 instant after which the key is refused; null for never
 * @param limits  {@code keys[].limits}: {@code rpm}, {@code tpm} and {@code concurrency} of this key alone, on top of
 *                the tenant's; none when absent
 * @param quota   {@code keys[].quota}: requests, tokens and cost per period of this key alone, on top of the
 *                tenant's quota; null for none
 */
public record KeyConfig(String id, KeyHash hash, Instant expires, RateLimitConfig limits, QuotaConfig quota) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** @throws ConfigException naming each field that breaks its rule */
    public KeyConfig {
        Problems problems = new Problems();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id", "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (hash == null) {
            problems.add("key", "is required (or 'hash')");
        }
        problems.throwIfAny("KeyConfig");
        limits = limits == null ? RateLimitConfig.NONE : limits;
    }

    /** A key without limits of its own. */
    public KeyConfig(String id, KeyHash hash, Instant expires) {
        this(id, hash, expires, RateLimitConfig.NONE, null);
    }

    /** A key given as a plain string: its id is derived from its hash. */
    public static KeyConfig of(KeyHash hash) {
        return new KeyConfig(defaultId(hash), hash, null);
    }

    /** The id of a key that was given without one. */
    public static String defaultId(KeyHash hash) {
        return "key-" + hash.hex().substring(0, 8);
    }

    /** Whether the key may still be used at that instant. */
    public boolean isValidAt(Instant now) {
        return expires == null || now.isBefore(expires);
    }
}
