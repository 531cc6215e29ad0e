package io.aigateway.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code logging} section: its defaults, every field bound, and each rule reported at its path. */
class LoggingConfigTest {

    private static final ConfigLoader LOADER = new ConfigLoader(Map.of("LOG_LEVEL", "debug")::get);

    private static final String MINIMAL = """
            tenants: [{name: a, keys: [key-a], models: ["*"]}]
            backends: [{name: openai, flavor: openai, endpoint: https://api.openai.com/v1, models: [gpt-4o]}]
            """;

    private static GatewayConfig parse(String logging) {
        return LOADER.parse(MINIMAL + logging, "test.yaml");
    }

    private static List<String> problems(String logging) {
        ConfigException x = assertThrows(ConfigException.class, () -> parse(logging));
        return x.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void absentSectionLeavesLoggingToTheStandardConfiguration() {
        LoggingConfig logging = parse("").logging();

        assertEquals(LoggingConfig.defaults(), logging);
        assertFalse(logging.enabled());
        assertFalse(parse("logging: {}").logging().enabled());
    }

    @Test
    void bindsEveryFieldOfEveryChannel() {
        LoggingConfig logging = parse("""
                logging:
                  channels:
                    - {name: app, file: logs/gateway.log, level: "${env:LOG_LEVEL}", max_size_mb: 50, max_backups: 5,
                       max_age_days: 7, compress: false}
                    - {name: request, file: /var/log/ai-gateway/request.log}
                    - {name: audit, file: audit.log, level: WARN, max_size_mb: 0, max_age_days: 0}
                """).logging();

        assertTrue(logging.enabled());
        assertEquals(List.of(
                new LogChannelConfig("app", "logs/gateway.log", "debug", 50, 5, 7, false),
                LogChannelConfig.of("request", "/var/log/ai-gateway/request.log"),
                new LogChannelConfig("audit", "audit.log", "warn", 0, 10, 0, true)), logging.channels());
        assertEquals(new LogChannelConfig("request", "/var/log/ai-gateway/request.log", "info", 100, 10, 30, true),
                logging.channel("request").orElseThrow());
    }

    @Test
    void reportsEveryWrongFieldAtItsPath() {
        assertEquals(List.of(
                "logging.channels[0].name: 'debug' is not a log channel (use app, request or audit)",
                "logging.channels[0].level: 'loud' is not a level (use trace, debug, info, warn, error, fatal, off)",
                "logging.channels[1].file: is required",
                "logging.channels[1].max_size_mb: must be >= 0 (0 rolls daily only)",
                "logging.channels[1].max_backups: must be > 0",
                "logging.channels[1].max_age_days: must be >= 0 (0 keeps rolled files up to max_backups)",
                "logging.channels[2].file: must name a file, not a directory"),
                problems("""
                        logging:
                          channels:
                            - {name: debug, file: a.log, level: loud}
                            - {name: request, max_size_mb: -1, max_backups: 0, max_age_days: -2}
                            - {name: audit, file: "logs/"}
                        """));
    }

    @Test
    void refusesTwoChannelsOfOneNameOrOneFile() {
        assertEquals(List.of(
                "logging.channels[1].name: duplicate channel 'app'",
                "logging.channels[2].file: already the file of channel 'app'"),
                problems("""
                        logging:
                          channels:
                            - {name: app, file: gateway.log}
                            - {name: app, file: other.log}
                            - {name: audit, file: gateway.log}
                        """));
    }

    @Test
    void refusesUnknownFieldsAndWrongTypes() {
        List<String> problems = problems("""
                logging:
                  channels:
                    - {name: app, file: a.log, rotate: daily, compress: maybe, max_backups: many}
                  format: json
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("logging.format:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("logging.channels[0].rotate:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("logging.channels[0].compress:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("logging.channels[0].max_backups:")), problems.toString());
    }
}
