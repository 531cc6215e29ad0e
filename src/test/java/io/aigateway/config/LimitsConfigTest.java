package io.aigateway.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The limit, quota and price sections: every name of the issue, their defaults, and errors at their field paths. */
class LimitsConfigTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.of("REDIS_PASSWORD", "pw")::get);

    private static final String FULL = """
        tenants:
          - name: team
            keys:
              - {key: sk-a, id: ci, limits: {rpm: 10, tpm: 1000, concurrency: 2}, quota: {tokens: 5000, reset: "0 * * * *"}}
              - sk-b
            models: ["*"]
            limits: {rpm: 60, tpm: 100000, concurrency: 5}
            model_limits:
              gpt-4o: {rpm: 30, tpm: 50000}
            quota: {requests: 1000, tokens: 2000000, cost: 25.5, reset: "0 0 1 * *", time_zone: Europe/Berlin}
            backend_groups: [eu]
        backends:
          - name: oai
            flavor: openai
            endpoint: https://api.openai.com/v1
            quota_group: eu
            deployments: [{name: gpt-4o, model: gpt-4o, limits: {rpm: 500, tpm: 300000}}]
            models: [gpt-4o-mini]
        models:
          limits:
            gpt-4o: {rpm: 1000, tpm: 900000}
        limits:
          store: redis
          redis: {url: "redis://:${env:REDIS_PASSWORD}@127.0.0.1:6379/0"}
          on_store_failure: fail-closed
          default_max_tokens: 512
          state_file: /var/lib/aigateway/quota.json
        prices:
          gpt-4o: {input: 2.5, output: 10, cached_input: 1.25}
          gpt-4o-mini: {input: 0.15, output: 0.6}
        """;

    @Test
    void bindsEveryLimitQuotaAndPriceField() {
        GatewayConfig config = LOADER.parse(FULL, "test.yaml");
        TenantConfig team = config.tenants().get(0);
        assertEquals(new RateLimitConfig(60L, 100000L, 5), team.limits());
        assertEquals(RateLimitConfig.perMinute(30L, 50000L), team.modelLimits().get("gpt-4o"));
        assertEquals(new QuotaConfig(1000L, 2000000L, new BigDecimal("25.5"), "0 0 1 * *", ZoneId.of("Europe/Berlin")),
            team.quota());
        assertEquals(List.of("eu"), team.backendGroups());
        assertEquals(new RateLimitConfig(10L, 1000L, 2), team.keys().get(0).limits());
        assertEquals(RateLimitConfig.NONE, team.keys().get(1).limits());
        assertEquals(new QuotaConfig(null, 5000L, null, "0 * * * *", ZoneOffset.UTC), team.keys().get(0).quota());
        assertNull(team.keys().get(1).quota());
        assertEquals(RateLimitConfig.perMinute(500L, 300000L), config.backends().get(0).deployments().get(0).limits());
        assertEquals(RateLimitConfig.NONE, config.backends().get(0).deployments().get(1).limits(), "shorthand");
        assertEquals(RateLimitConfig.perMinute(1000L, 900000L), config.models().limits().get("gpt-4o"));
        assertEquals(new LimitsConfig(LimitStoreType.REDIS, URI.create("redis://:pw@127.0.0.1:6379/0"),
            StoreFailureMode.FAIL_CLOSED, 512, Path.of("/var/lib/aigateway/quota.json")), config.limits());
        assertEquals(new PriceConfig(new BigDecimal("0.15"), new BigDecimal("0.6"), new BigDecimal("0.15")),
            config.prices().get("gpt-4o-mini"));
    }

    @Test
    void defaultsWhenLeftOut() {
        GatewayConfig config = LOADER.parse("""
            tenants: [{name: t, keys: [k], models: ["*"], quota: {tokens: 5}}]
            backends: [{name: b, flavor: openai, endpoint: "https://x/v1", models: [m]}]
            """, "test.yaml");
        assertEquals(LimitsConfig.defaults(), config.limits());
        assertEquals(Map.of(), config.prices());
        assertEquals(new QuotaConfig(null, 5L, null, "0 0 1 * *", ZoneOffset.UTC), config.tenants().get(0).quota());
        assertNull(config.tenants().get(0).limits().rpm());
    }

    @Test
    void reportsEveryProblemAtItsFieldPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse("""
            tenants:
              - name: t
                keys: [{key: k, limits: {rpm: 0}}]
                models: ["*"]
                limits: {tpm: -1, concurrency: 0}
                model_limits: {nope: {rpm: 1}, m: {concurrency: 1}}
                quota: {reset: "every day", time_zone: Mars/Base}
                backend_groups: [nowhere]
            backends:
              - {name: b, flavor: openai, endpoint: "https://x/v1", deployments: [{name: m, model: m, limits: {rpm: 0}}]}
            models: {limits: {ghost: {rpm: 1}}}
            limits: {store: memcached, on_store_failure: maybe, default_max_tokens: 0}
            prices: {m: {input: -1}}
            """, "test.yaml"));
        assertEquals(List.of(
            "backends[0].deployments[0].limits.rpm: must be > 0",
            "tenants[0].keys[0].limits.rpm: must be > 0",
            "tenants[0].limits.tpm: must be > 0",
            "tenants[0].limits.concurrency: must be > 0",
            "tenants[0].model_limits.m.concurrency: unknown field",
            "tenants[0].quota.time_zone: 'Mars/Base' is not a time zone (use an IANA id such as Europe/Berlin, or UTC)",
            "tenants[0].quota.reset: must be a 5-field cron expression (minute hour day-of-month month day-of-week), "
                + "such as '0 0 1 * *'",
            "limits.store: 'memcached' is not a limit store (use local or redis)",
            "limits.on_store_failure: 'maybe' is not a failure mode (use fail-open or fail-closed)",
            "limits.default_max_tokens: must be > 0",
            "prices.m.input: must be >= 0",
            "prices.m.output: is required"),
            e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void redisNeedsAUrlAndQuotasAValidCron() {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse("""
            tenants: [{name: t, keys: [k], models: ["*"], quota: {requests: 1, reset: "0 0 32 * *"}}]
            backends: [{name: b, flavor: openai, endpoint: "https://x/v1", models: [m]}]
            models: {limits: {ghost: {rpm: 1}}}
            limits: {store: redis}
            """, "test.yaml"));
        List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertEquals("tenants[0].quota.reset", problems.get(0).substring(0, problems.get(0).indexOf(':')));
        assertEquals("limits.redis.url: is required when store is redis", problems.get(1));
        assertEquals("models.limits.ghost: unknown model 'ghost' (no backend or alias serves it)", problems.get(2));
    }

    @Test
    void backendGroupsNameABackendOrAQuotaGroup() {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse("""
            tenants: [{name: t, keys: [k], models: ["*"], backend_groups: [b, eu, nowhere]}]
            backends: [{name: b, flavor: openai, endpoint: "https://x/v1", models: [m], quota_group: eu}]
            """, "test.yaml"));
        assertEquals(List.of("tenants[0].backend_groups[2]: no backend is named 'nowhere' or has it as its quota_group"),
            e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void theReadmeWorkedExampleIsValid() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### Worked example");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        GatewayConfig config = new ConfigLoader(name -> "value-of-" + name).parse(yaml, "README.md");
        assertEquals(List.of("azure-finance"), config.tenants().get(1).backendGroups());
        assertEquals(LimitStoreType.REDIS, config.limits().store());
    }
}
