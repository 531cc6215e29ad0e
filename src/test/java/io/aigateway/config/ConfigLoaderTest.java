package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of("TEAM_A_KEY", "team-a-key", "AZURE_KEY", "azure-secret");
    private static final ConfigLoader LOADER = new ConfigLoader(ENV::get);

    private static final String FULL_YAML = """
            server:
              host: 127.0.0.1
              port: 9090
              max_request_bytes: 1048576

            tenants:
              - name: team-a
                keys:
                  - ${env:TEAM_A_KEY}
                  - sha256:F397F260A275CC4D42E7965C556167BF3F068AED491D35A8F5B38C8C2DB96BB0
                models: [gpt-4o, fast]
              - name: ops
                keys: [ops-key]
                models: ["*"]

            backends:
              - name: azure-eu
                flavor: azure
                endpoint: https://eu.openai.azure.com/
                api_version: 2024-06-01
                keys:
                  - ${env:AZURE_KEY}
                weight: 2
                headers:
                  X-Team: gateway
                  X-Region: eu
                timeouts:
                  connect: 5s
                  first_byte: 90s
                  idle: 500ms
                deployments:
                  - name: gpt4o-eu
                    model: gpt-4o
              - name: openai
                flavor: openai
                endpoint: https://api.openai.com/v1
                keys: [sk-one, sk-two]
                priority: 1
                enabled: false
                models: [gpt-4o, gpt-4o-mini]

            models:
              aliases:
                fast: gpt-4o-mini
                gpt-4o-eu: azure-eu:gpt-4o
            """;

    private static final String FULL_JSON = """
            {
              "server": {"host": "127.0.0.1", "port": 9090, "max_request_bytes": 1048576},
              "tenants": [
                {"name": "team-a",
                 "keys": ["${env:TEAM_A_KEY}",
                          "sha256:f397f260a275cc4d42e7965c556167bf3f068aed491d35a8f5b38c8c2db96bb0"],
                 "models": ["gpt-4o", "fast"]},
                {"name": "ops", "keys": ["ops-key"], "models": ["*"]}
              ],
              "backends": [
                {"name": "azure-eu", "flavor": "azure", "endpoint": "https://eu.openai.azure.com",
                 "api_version": "2024-06-01", "keys": ["${env:AZURE_KEY}"], "weight": 2,
                 "headers": {"X-Team": "gateway", "X-Region": "eu"},
                 "timeouts": {"connect": "5s", "first_byte": "90s", "idle": "500ms"},
                 "deployments": [{"name": "gpt4o-eu", "model": "gpt-4o"}]},
                {"name": "openai", "flavor": "openai", "endpoint": "https://api.openai.com/v1",
                 "keys": ["sk-one", "sk-two"], "priority": 1, "enabled": false,
                 "deployments": [{"name": "gpt-4o", "model": "gpt-4o"},
                                 {"name": "gpt-4o-mini", "model": "gpt-4o-mini"}]}
              ],
              "models": {"aliases": {"fast": "gpt-4o-mini", "gpt-4o-eu": "azure-eu:gpt-4o"}}
            }
            """;

    /** The smallest useful config: one backend, one tenant. Cases below change one thing in it. */
    private static final String MINIMAL = """
            tenants:
              - name: a
                keys: [key-a]
                models: ["*"]
            backends:
              - name: openai
                flavor: openai
                endpoint: https://api.openai.com/v1
                models: [gpt-4o]
            """;

    @Test
    void loadsEveryFieldOfAFullYamlFile() {
        GatewayConfig expected = new GatewayConfig(
                new ServerConfig("127.0.0.1", 9090, 1048576),
                List.of(
                        new TenantConfig("team-a",
                                List.of(KeyHash.ofRawKey("team-a-key"), KeyHash.ofRawKey("second-key")),
                                List.of("gpt-4o", "fast")),
                        new TenantConfig("ops", List.of(KeyHash.ofRawKey("ops-key")), List.of("*"))),
                List.of(
                        new BackendConfig("azure-eu", Flavor.AZURE, URI.create("https://eu.openai.azure.com"),
                                "2024-06-01", List.of("azure-secret"), 2, 0, true,
                                Map.of("X-Team", "gateway", "X-Region", "eu"),
                                new TimeoutsConfig(Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMillis(500)),
                                List.of(new DeploymentConfig("gpt4o-eu", "gpt-4o"))),
                        new BackendConfig("openai", Flavor.OPENAI, URI.create("https://api.openai.com/v1"),
                                null, List.of("sk-one", "sk-two"), 1, 1, false, Map.of(), TimeoutsConfig.defaults(),
                                List.of(new DeploymentConfig("gpt-4o", "gpt-4o"),
                                        new DeploymentConfig("gpt-4o-mini", "gpt-4o-mini")))),
                new ModelsConfig(Map.of(
                        "fast", new AliasConfig(null, "gpt-4o-mini"),
                        "gpt-4o-eu", new AliasConfig("azure-eu", "gpt-4o"))));

        assertEquals(expected, LOADER.parse(FULL_YAML, "full.yaml"));
    }

    @Test
    void jsonLoadsToTheSameConfigAsYaml() {
        assertEquals(LOADER.parse(FULL_YAML, "full.yaml"), LOADER.parse(FULL_JSON, "full.json"));
    }

    @Test
    void keepsHeadersAndAliasesInFileOrder() {
        GatewayConfig config = LOADER.parse(FULL_YAML, "full.yaml");

        assertEquals(List.of("X-Team", "X-Region"), List.copyOf(config.backends().get(0).headers().keySet()));
        assertEquals(List.of("fast", "gpt-4o-eu"), List.copyOf(config.models().aliases().keySet()));
    }

    @Test
    void publicModelsAreEveryDeploymentModelAndEveryAliasSorted() {
        GatewayConfig config = LOADER.parse(FULL_YAML, "full.yaml");

        assertEquals(List.of("fast", "gpt-4o", "gpt-4o-eu", "gpt-4o-mini"), List.copyOf(config.publicModels()));
    }

    @Test
    void tenantAllowsListedModelsOrEveryModelWithStar() {
        GatewayConfig config = LOADER.parse(FULL_YAML, "full.yaml");
        TenantConfig teamA = config.tenants().get(0);
        TenantConfig ops = config.tenants().get(1);

        assertTrue(teamA.allows("fast"));
        assertFalse(teamA.allows("gpt-4o-mini"));
        assertTrue(ops.allows("gpt-4o-mini"));
    }

    @Test
    void appliesDefaultsToEverythingLeftOut() {
        GatewayConfig config = LOADER.parse(MINIMAL, "minimal.yaml");
        BackendConfig backend = config.backends().get(0);

        assertEquals(ServerConfig.defaults(), config.server());
        assertEquals(new ServerConfig("0.0.0.0", 8080, 10485760), config.server());
        assertEquals(List.of(), backend.keys());
        assertEquals(1, backend.weight());
        assertEquals(0, backend.priority());
        assertTrue(backend.enabled());
        assertEquals(Map.of(), backend.headers());
        assertEquals(new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(60)),
                backend.timeouts());
        assertEquals(Map.of(), config.models().aliases());
    }

    @Test
    void azureBackendGetsTheDefaultApiVersionOthersGetNone() {
        GatewayConfig config = LOADER.parse("""
                backends:
                  - {name: az, flavor: azure, endpoint: "https://x.openai.azure.com", models: [gpt-4o]}
                  - {name: v1, flavor: azure-v1, endpoint: "https://x.openai.azure.com/openai/v1/", models: [o3]}
                """, "test");

        assertEquals("2024-10-21", config.backends().get(0).apiVersion());
        assertEquals(null, config.backends().get(1).apiVersion());
        assertEquals(URI.create("https://x.openai.azure.com/openai/v1"), config.backends().get(1).endpoint());
    }

    @Test
    void anEmptyMapIsAGatewayWithNothingConfigured() {
        GatewayConfig config = LOADER.parse("{}", "test");

        assertEquals(List.of(), config.backends());
        assertEquals(List.of(), config.tenants());
        assertEquals(Set.of(), config.publicModels());
    }

    @Test
    void modelsShorthandExpandsToDeploymentsNamedAfterTheirModelAfterExplicitOnes() {
        GatewayConfig config = LOADER.parse("""
                backends:
                  - name: local
                    flavor: openai
                    endpoint: http://localhost:11434/v1
                    deployments:
                      - {name: llama3.1:70b-instruct, model: llama-large}
                    models: [qwen2.5, llama3:8b]
                """, "test");

        assertEquals(List.of(
                        new DeploymentConfig("llama3.1:70b-instruct", "llama-large"),
                        new DeploymentConfig("qwen2.5", "qwen2.5"),
                        new DeploymentConfig("llama3:8b", "llama3:8b")),
                config.backends().get(0).deployments());
    }

    @Test
    void substitutesEnvironmentVariablesInStringsNumbersAndFlags() {
        ConfigLoader loader = new ConfigLoader(Map.of("PORT", "9999", "HOST", "10.0.0.1", "ON", "false")::get);

        GatewayConfig config = loader.parse("""
                server:
                  host: "${env:HOST}"
                  port: "${env:PORT}"
                  max_request_bytes: "${env:MAX_BYTES:-2048}"
                backends:
                  - name: openai
                    flavor: openai
                    endpoint: https://${env:UPSTREAM_HOST:-api.openai.com}/v1
                    enabled: "${env:ON}"
                    headers:
                      X-Literal: "$${env:NOT_SUBSTITUTED}"
                    models: [gpt-4o]
                """, "test");

        assertEquals(new ServerConfig("10.0.0.1", 9999, 2048), config.server());
        BackendConfig backend = config.backends().get(0);
        assertEquals(URI.create("https://api.openai.com/v1"), backend.endpoint());
        assertFalse(backend.enabled());
        assertEquals("${env:NOT_SUBSTITUTED}", backend.headers().get("X-Literal"));
    }

    @Test
    void environmentValuesCannotInjectYaml() {
        String injected = "a\n  - name: evil\n    keys: [k]\n    models: [\"*\"]";
        ConfigLoader loader = new ConfigLoader(Map.of("TENANT", injected)::get);

        GatewayConfig config = loader.parse(MINIMAL.replace("name: a", "name: ${env:TENANT}"), "test");

        assertEquals(List.of(injected), config.tenants().stream().map(TenantConfig::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void reportsTheExactProblemAtItsFieldPath(String description, String yaml, String expectedProblem) {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse(yaml, "test.yaml"));

        assertEquals(List.of(expectedProblem), e.problems().stream().map(ConfigProblem::toString).toList(),
                description);
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("empty file", "", "(file): is empty"),
                invalid("only a comment", "# nothing yet\n", "(file): is empty"),
                invalid("document is a list", "- a\n",
                        "(file): must be a map with the fields [backends, models, server, tenants]"),
                invalid("unknown top-level field", MINIMAL + "serverr: {}\n", "serverr: unknown field"),
                invalid("unknown backend field", backendWith("endpiont: https://x"),
                        "backends[0].endpiont: unknown field"),
                invalid("duplicate YAML key", """
                        backends:
                          - name: openai
                            name: other
                            flavor: openai
                            endpoint: https://api.openai.com/v1
                            models: [gpt-4o]
                        """, "backends[0].name: duplicate key (first on line 2)"),
                invalid("unsupported YAML tag", backendWith("api_version: !!binary AAAA"),
                        "backends[0].api_version: unsupported YAML tag tag:yaml.org,2002:binary"),
                invalid("weight is not an integer", backendWith("weight: heavy"),
                        "backends[0].weight: must be an integer"),
                invalid("weight is a fraction", backendWith("weight: 1.5"), "backends[0].weight: must be an integer"),
                invalid("enabled is YAML 1.1 yes", backendWith("enabled: yes"),
                        "backends[0].enabled: must be true or false"),
                invalid("name is a number", MINIMAL.replace("name: openai", "name: 42"),
                        "backends[0].name: must be a string"),
                invalid("backends is a map", "backends: {name: x}\n", "backends: must be a list"),
                invalid("backend is a string", "backends: [openai]\n",
                        "backends[0]: must be a map with the fields [api_version, deployments, enabled, endpoint, "
                                + "flavor, headers, keys, models, name, priority, timeouts, weight]"),
                invalid("backend name missing", MINIMAL.replace("- name: openai\n    flavor", "- flavor"),
                        "backends[0].name: is required"),
                invalid("backend name with colon", MINIMAL.replace("name: openai", "name: open:ai"),
                        "backends[0].name: must not contain ':' or '/'"),
                invalid("endpoint is not a URL", MINIMAL.replace("https://api.openai.com/v1", "not a url"),
                        "backends[0].endpoint: not an absolute http(s) URL"),
                invalid("endpoint is relative", MINIMAL.replace("https://api.openai.com/v1", "api.openai.com/v1"),
                        "backends[0].endpoint: not an absolute http(s) URL"),
                invalid("endpoint is ftp", MINIMAL.replace("https://api.openai.com/v1", "ftp://api.openai.com"),
                        "backends[0].endpoint: not an absolute http(s) URL"),
                invalid("endpoint has a query", MINIMAL.replace("/v1", "/v1?key=1"),
                        "backends[0].endpoint: must not have a query (the gateway adds what the flavor needs)"),
                invalid("endpoint has a fragment", MINIMAL.replace("/v1", "/v1#top"),
                        "backends[0].endpoint: must not have a fragment"),
                invalid("endpoint has user info", MINIMAL.replace("https://", "https://me:pw@"),
                        "backends[0].endpoint: must not contain user info (put credentials in keys)"),
                invalid("unknown flavor", MINIMAL.replace("flavor: openai", "flavor: anthropic"),
                        "backends[0].flavor: 'anthropic' is not a flavor (use openai, azure or azure-v1)"),
                invalid("api_version on openai", backendWith("api_version: 2024-10-21"),
                        "backends[0].api_version: only allowed when flavor is azure"),
                invalid("blank upstream key", backendWith("keys: [\" \"]"), "backends[0].keys[0]: must not be blank"),
                invalid("upstream key with a newline", backendWith("keys: [\"sk-1\\n\"]"),
                        "backends[0].keys[0]: must not contain CR or LF"),
                invalid("weight zero", backendWith("weight: 0"), "backends[0].weight: must be at least 1"),
                invalid("negative priority", backendWith("priority: -1"), "backends[0].priority: must not be negative"),
                invalid("header owned by the gateway", backendWith("headers: {Authorization: Bearer x}"),
                        "backends[0].headers.Authorization: not allowed (the gateway sets this header)"),
                invalid("framing header in any case", backendWith("headers: {content-LENGTH: \"1\"}"),
                        "backends[0].headers.content-LENGTH: not allowed (the gateway sets this header)"),
                invalid("header name not a token", backendWith("headers: {\"X Team\": a}"),
                        "backends[0].headers: 'X Team' is not a valid header name"),
                invalid("CRLF in header value", backendWith("headers: {X-Team: \"a\\r\\nX-Evil: 1\"}"),
                        "backends[0].headers.X-Team: must not contain CR or LF"),
                invalid("header twice in different case", backendWith("headers: {X-Team: a, x-team: b}"),
                        "backends[0].headers.x-team: duplicate header (same as 'X-Team')"),
                invalid("duration without unit", backendWith("timeouts: {connect: 10}"),
                        "backends[0].timeouts.connect: '10' is not a duration "
                                + "(use a number with a unit: 250ms, 30s, 5m, 1h)"),
                invalid("duration in words", backendWith("timeouts: {idle: 5 minutes}"),
                        "backends[0].timeouts.idle: '5 minutes' is not a duration "
                                + "(use a number with a unit: 250ms, 30s, 5m, 1h)"),
                invalid("zero timeout", backendWith("timeouts: {first_byte: 0s}"),
                        "backends[0].timeouts.first_byte: must be greater than zero"),
                invalid("unknown timeout", backendWith("timeouts: {total: 5m}"),
                        "backends[0].timeouts.total: unknown field"),
                invalid("backend serves nothing", MINIMAL.replace("    models: [gpt-4o]\n", ""),
                        "backends[0]: serves no model (give deployments or models)"),
                invalid("deployment without model", backendWith("deployments: [{name: gpt4o-prod}]"),
                        "backends[0].deployments[0].model: is required"),
                invalid("deployment and shorthand serve the same model",
                        backendWith("deployments: [{name: gpt4o-prod, model: gpt-4o}]"),
                        "backends[0].models[0]: model 'gpt-4o' is already served by this backend"),
                invalid("two deployments serve the same model",
                        MINIMAL.replace("    models: [gpt-4o]\n",
                                "    deployments: [{name: a, model: m}, {name: b, model: m}]\n")
                                .replace("models: [\"*\"]", "models: [m]"),
                        "backends[0].deployments[1].model: model 'm' is already served by this backend"),
                invalid("blank shorthand model", MINIMAL.replace("models: [gpt-4o]", "models: [gpt-4o, \"\"]"),
                        "backends[0].models[1]: must not be blank"),
                invalid("duplicate backend name", MINIMAL + """
                          - name: openai
                            flavor: openai
                            endpoint: https://other.example.com/v1
                            models: [o3]
                        """, "backends[1].name: duplicate backend name 'openai'"),
                invalid("missing environment variable", backendWith("keys: [\"${env:OPENAI_API_KEY}\"]"),
                        "backends[0].keys[0]: environment variable OPENAI_API_KEY is not set"),
                invalid("reference without env:", backendWith("keys: [\"${OPENAI_API_KEY}\"]"),
                        "backends[0].keys[0]: '${OPENAI_API_KEY}' is not supported "
                                + "(use ${env:NAME} or ${env:NAME:-default}; $${ for a literal ${)"),
                invalid("port out of range", MINIMAL + "server: {port: 70000}\n",
                        "server.port: must be between 0 and 65535"),
                invalid("max_request_bytes zero", MINIMAL + "server: {max_request_bytes: 0}\n",
                        "server.max_request_bytes: must be a positive number of bytes"),
                invalid("max_request_bytes with a unit", MINIMAL + "server: {max_request_bytes: 10MiB}\n",
                        "server.max_request_bytes: must be an integer"),
                invalid("tenant without name", MINIMAL.replace("- name: a\n    keys", "- keys"),
                        "tenants[0].name: is required"),
                invalid("tenant without keys", MINIMAL.replace("    keys: [key-a]\n", ""),
                        "tenants[0].keys: must list at least one key"),
                invalid("blank tenant key", MINIMAL.replace("[key-a]", "[\"\"]"),
                        "tenants[0].keys[0]: must not be blank"),
                invalid("tenant key with a trailing newline", MINIMAL.replace("[key-a]", "[\"key-a\\n\"]"),
                        "tenants[0].keys[0]: must not start or end with whitespace"),
                invalid("malformed hashed key", MINIMAL.replace("[key-a]", "[\"sha256:abc\"]"),
                        "tenants[0].keys[0]: a hashed key must be 'sha256:' followed by 64 hex digits"),
                invalid("same key twice in a tenant", MINIMAL.replace("[key-a]", "[key-a, key-b, key-a]"),
                        "tenants[0].keys[2]: duplicate key (same as keys[0])"),
                invalid("same key in two tenants, once hashed", MINIMAL.replace("backends:", """
                          - name: b
                            keys: ["sha256:%s"]
                            models: ["*"]
                        backends:""".formatted(KeyHash.ofRawKey("key-a").hex())),
                        "tenants[1].keys[0]: key already used by tenant 'a'"),
                invalid("duplicate tenant name", MINIMAL.replace("backends:", """
                          - name: a
                            keys: [key-b]
                            models: ["*"]
                        backends:"""), "tenants[1].name: duplicate tenant name 'a'"),
                invalid("tenant without models", MINIMAL.replace("models: [\"*\"]", "models: []"),
                        "tenants[0].models: must list at least one model (or \"*\" for all)"),
                invalid("tenant names an unknown model", MINIMAL.replace("models: [\"*\"]", "models: [gpt-4o, gpt-5]"),
                        "tenants[0].models[1]: unknown model 'gpt-5' (no backend or alias serves it)"),
                invalid("alias target not served", MINIMAL + "models: {aliases: {fast: gpt-9}}\n",
                        "models.aliases.fast: target 'gpt-9' is neither a served model "
                                + "nor backend:model of a backend serving it"),
                invalid("pinned alias to a backend not serving the model",
                        MINIMAL + "models: {aliases: {fast: \"openai:gpt-9\"}}\n",
                        "models.aliases.fast: target 'openai:gpt-9' is neither a served model "
                                + "nor backend:model of a backend serving it"),
                invalid("pinned alias to an unknown backend", MINIMAL + "models: {aliases: {fast: \"azure:gpt-4o\"}}\n",
                        "models.aliases.fast: target 'azure:gpt-4o' is neither a served model "
                                + "nor backend:model of a backend serving it"),
                invalid("alias of an alias", MINIMAL + "models: {aliases: {fast: gpt-4o, quick: fast}}\n",
                        "models.aliases.quick: target 'fast' is an alias (aliases must point at a served model)"),
                invalid("alias hides a served model", MINIMAL + "models: {aliases: {gpt-4o: \"openai:gpt-4o\"}}\n",
                        "models.aliases.gpt-4o: 'gpt-4o' is already a model served by backend 'openai' "
                                + "(an alias cannot hide it)"),
                invalid("aliases is a list", MINIMAL + "models: {aliases: [fast]}\n",
                        "models.aliases: must be a map"));
    }

    @Test
    void reportsEveryProblemAtOnceWithoutConsequentialOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse("""
                server:
                  port: -1
                tenants:
                  - name: a
                    keys: [key-a]
                    models: [gpt-5]
                backends:
                  - name: openai
                    flavor: openia
                    endpoint: https://api.openai.com/v1
                    weight: heavy
                    models: [gpt-4o]
                  - name: azure
                    flavor: azure
                    endpiont: https://x.openai.azure.com
                    timeouts: {idle: 5 minutes}
                    models: [gpt-4o]
                """, "gateway.yaml"));

        assertEquals(List.of(
                "server.port: must be between 0 and 65535",
                "backends[0].flavor: 'openia' is not a flavor (use openai, azure or azure-v1)",
                "backends[0].weight: must be an integer",
                "backends[1].endpiont: unknown field",
                "backends[1].timeouts.idle: '5 minutes' is not a duration (use a number with a unit: 250ms, 30s, 5m, 1h)",
                "backends[1].endpoint: is required"),
                e.problems().stream().map(ConfigProblem::toString).toList());
        assertTrue(e.getMessage().startsWith("""
                gateway.yaml: 6 problem(s):
                  server.port: must be between 0 and 65535
                  backends[0].flavor: 'openia' is not a flavor"""), e.getMessage());
    }

    @Test
    void checksTenantModelsAgainstBackendsOnceEveryBackendIsValid() {
        String yaml = MINIMAL.replace("models: [\"*\"]", "models: [gpt-5]");

        ConfigException e = assertThrows(ConfigException.class,
                () -> LOADER.parse(yaml.replace("flavor: openai", "flavor: bad"), "test"));

        // The broken backend might be the one meant to serve gpt-5, so that is not claimed yet.
        assertEquals(List.of("backends[0].flavor: 'bad' is not a flavor (use openai, azure or azure-v1)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void reportsYamlSyntaxErrorsAtTheirLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> LOADER.parse("backends:\n  - name: [unclosed\n", "test"));

        assertTrue(e.problems().get(0).path().startsWith("line "), e.getMessage());
    }

    @Test
    void rejectsMoreThanOneDocument() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> LOADER.parse(MINIMAL + "---\n" + MINIMAL, "test"));

        assertTrue(e.getMessage().contains("expected a single document"), e.getMessage());
    }

    @Test
    void rejectsAnAliasBombBeforeExpandingIt() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 10; level++) {
            yaml.append("a").append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }

        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse(yaml.toString(), "bomb.yaml"));

        assertEquals("(file)", e.problems().get(0).path());
        assertTrue(e.problems().get(0).message().contains("aliases"), e.getMessage());
    }

    @Test
    void rejectsARecursiveAlias() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> LOADER.parse("backends: &loop\n  - *loop\n", "test"));

        assertTrue(e.getMessage().contains("backends[0]"), e.getMessage());
    }

    @Test
    void messageNamesTheOriginAndEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> LOADER.parse(backendWith("weight: 0\n    priority: -1"), "conf/gateway.yaml"));

        assertEquals("""
                conf/gateway.yaml: 2 problem(s):
                  backends[0].weight: must be at least 1
                  backends[0].priority: must not be negative""", e.getMessage());
    }

    @Test
    void loadsAUtf8FileAndNamesItAsTheOrigin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "\uFEFF" + MINIMAL.replace("name: a", "name: équipe"), StandardCharsets.UTF_8);

        assertEquals("équipe", LOADER.load(file).tenants().get(0).name());

        Files.writeString(file, "server: {port: x}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.load(file));
        assertTrue(e.getMessage().startsWith(file + ": 1 problem(s):"), e.getMessage());
    }

    @Test
    void aMissingFileIsAConfigException(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.load(dir.resolve("nope.yaml")));

        assertEquals("(file): does not exist", e.problems().get(0).toString());
    }

    @Test
    void neverKeepsOrPrintsATenantsRawKey() {
        GatewayConfig config = LOADER.parse(FULL_YAML, "full.yaml");

        String printed = config.toString();

        for (String secret : List.of("team-a-key", "ops-key", "azure-secret", "sk-one", "sk-two")) {
            assertFalse(printed.contains(secret), secret);
        }
    }

    private static Arguments invalid(String description, String yaml, String expectedProblem) {
        return Arguments.of(description, yaml, expectedProblem);
    }

    /** {@link #MINIMAL} with more lines in its backend. */
    private static String backendWith(String lines) {
        return MINIMAL + "    " + lines + "\n";
    }
}
