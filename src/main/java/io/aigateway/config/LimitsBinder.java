package io.aigateway.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Binds the limit, quota and price sections, for {@link ConfigBinder}: their field names and defaults. */
final class LimitsBinder {
    private static final Set<String> PER_MINUTE_FIELDS = Set.of("rpm", "tpm");
    private static final Set<String> QUOTA_FIELDS = Set.of("requests", "tokens", "cost", "reset", "time_zone");
    private static final Set<String> LIMITS_FIELDS = Set.of("store", "redis", "on_store_failure",
            "default_max_tokens", "state_file");
    private static final Set<String> REDIS_FIELDS = Set.of("url");
    private static final Set<String> PRICE_FIELDS = Set.of("input", "output", "cached_input");

    private LimitsBinder() {
    }

    /** {@code rpm}, {@code tpm} and (where {@code fields} has it) {@code concurrency}; none when absent. */
    static RateLimitConfig rateLimits(ConfigNode node, Set<String> fields) {
        if (node.isAbsent()) {
            return RateLimitConfig.NONE;
        }
        if (!node.expectFields(fields)) {
            return null;
        }
        Long rpm = node.field("rpm").longInteger();
        Long tpm = node.field("tpm").longInteger();
        Integer concurrency = fields.contains("concurrency") ? node.field("concurrency").integer() : null;
        return node.build(() -> new RateLimitConfig(rpm, tpm, concurrency));
    }

    /** {@code <model>: {rpm, tpm}}; whether each model is served is checked by {@link GatewayConfig}. */
    static Map<String, RateLimitConfig> perModel(ConfigNode node) {
        if (node.isAbsent()) {
            return Map.of();
        }
        Map<String, ConfigNode> entries = node.entries();
        if (entries == null) {
            return null;
        }
        Map<String, RateLimitConfig> limits = new LinkedHashMap<>();
        entries.forEach((model, value) -> limits.put(model, rateLimits(value, PER_MINUTE_FIELDS)));
        return limits;
    }

    static QuotaConfig quota(ConfigNode node) {
        if (!node.expectFields(QUOTA_FIELDS)) {
            return null;
        }
        Long requests = node.field("requests").longInteger();
        Long tokens = node.field("tokens").longInteger();
        BigDecimal cost = node.field("cost").decimal();
        ConfigNode resetNode = node.field("reset");
        String reset = resetNode.isAbsent() ? QuotaConfig.DEFAULT_RESET : resetNode.scalarText();
        ConfigNode zoneNode = node.field("time_zone");
        ZoneId zone = zoneNode.isAbsent() ? ZoneOffset.UTC : zone(zoneNode);
        return node.build(() -> new QuotaConfig(requests, tokens, cost, reset, zone));
    }

    private static ZoneId zone(ConfigNode node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            node.problem("'" + text + "' is not a time zone (use an IANA id such as Europe/Berlin, or UTC)");
            return null;
        }
    }

    static LimitsConfig limits(ConfigNode node) {
        if (node.isAbsent()) {
            return LimitsConfig.defaults();
        }
        if (!node.expectFields(LIMITS_FIELDS)) {
            return null;
        }
        ConfigNode storeNode = node.field("store");
        LimitStoreType store = storeNode.isAbsent() ? LimitStoreType.LOCAL : storeType(storeNode);
        URI redisUrl = redisUrl(node.field("redis"));
        ConfigNode failureNode = node.field("on_store_failure");
        StoreFailureMode onFailure = failureNode.isAbsent() ? StoreFailureMode.FAIL_OPEN : failureMode(failureNode);
        Integer maxTokens = node.field("default_max_tokens").integer();
        int defaultMaxTokens = maxTokens == null ? LimitsConfig.DEFAULT_MAX_TOKENS : maxTokens;
        ConfigNode fileNode = node.field("state_file");
        Path stateFile = fileNode.isAbsent() ? LimitsConfig.DEFAULT_STATE_FILE : path(fileNode);
        return node.build(() -> new LimitsConfig(store, redisUrl, onFailure, defaultMaxTokens, stateFile));
    }

    private static LimitStoreType storeType(ConfigNode node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        return LimitStoreType.fromConfigName(name).orElseGet(() -> {
            node.problem("'" + name + "' is not a limit store (use local or redis)");
            return null;
        });
    }

    private static StoreFailureMode failureMode(ConfigNode node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        return StoreFailureMode.fromConfigName(name).orElseGet(() -> {
            node.problem("'" + name + "' is not a failure mode (use fail-open or fail-closed)");
            return null;
        });
    }

    private static URI redisUrl(ConfigNode node) {
        if (node.isAbsent() || !node.expectFields(REDIS_FIELDS)) {
            return null;
        }
        ConfigNode urlNode = node.field("url");
        String text = urlNode.string();
        if (text == null) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            // Not the text: it may hold the password.
            urlNode.problem("must be redis://host:port or rediss://host:port");
            return null;
        }
    }

    private static Path path(ConfigNode node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            node.problem("not a valid path: " + e.getReason());
            return null;
        }
    }

    static Map<String, PriceConfig> prices(ConfigNode node) {
        if (node.isAbsent()) {
            return Map.of();
        }
        Map<String, ConfigNode> entries = node.entries();
        if (entries == null) {
            return null;
        }
        Map<String, PriceConfig> prices = new LinkedHashMap<>();
        entries.forEach((model, value) -> prices.put(model, price(value)));
        return prices.containsValue(null) ? null : prices;
    }

    private static PriceConfig price(ConfigNode node) {
        if (!node.expectFields(PRICE_FIELDS)) {
            return null;
        }
        BigDecimal input = node.field("input").decimal();
        BigDecimal output = node.field("output").decimal();
        BigDecimal cached = node.field("cached_input").decimal();
        return node.build(() -> new PriceConfig(input, output, cached));
    }
}
