package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code notifications} section: its defaults, every field bound, and each rule reported at its path. */
class NotificationsConfigTest {

    private static final ConfigLoader LOADER = new ConfigLoader(
            Map.of("MATRIX_TOKEN", "syt_matrix_token_123", "FEISHU_SECRET", "feishu-signing-secret")::get);

    private static final String MINIMAL = """
            tenants: [{name: a, keys: [key-a], models: ["*"]}]
            backends: [{name: openai, flavor: openai, endpoint: https://api.openai.com/v1, models: [gpt-4o]}]
            """;

    private static GatewayConfig parse(String notifications) {
        return LOADER.parse(MINIMAL + notifications, "test.yaml");
    }

    @Test
    void absentSectionSendsNothingButWouldSendEveryEventEveryFiveMinutes() {
        NotificationsConfig notifications = parse("").notifications();

        assertEquals(NotificationsConfig.defaults(), notifications);
        assertEquals(List.of(), notifications.channels());
        assertEquals(EnumSet.allOf(NotificationEventType.class), notifications.events());
        assertEquals(Duration.ofMinutes(5), notifications.minInterval());
        assertFalse(notifications.enabled());
    }

    @Test
    void bindsEveryChannelTypeWithItsFields() {
        NotificationsConfig notifications = parse("""
                notifications:
                  channels:
                    - {type: webhook, url: "https://hooks.example.com/gateway"}
                    - {type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ"}
                    - {type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/abc", secret: "${env:FEISHU_SECRET}"}
                    - {type: matrix, url: "https://matrix.example.org/", room_id: "!ops:example.org", access_token: "${env:MATRIX_TOKEN}"}
                  events: [circuit_opened, model_unavailable]
                  min_interval: 10m
                """).notifications();

        assertEquals(List.of(
                new NotificationChannelConfig(NotificationChannelType.WEBHOOK, URI.create("https://hooks.example.com/gateway")),
                new NotificationChannelConfig(NotificationChannelType.SLACK,
                        URI.create("https://hooks.slack.com/services/T0/B0/XYZ")),
                new NotificationChannelConfig(NotificationChannelType.FEISHU,
                        URI.create("https://open.feishu.cn/open-apis/bot/v2/hook/abc"), null, null, "feishu-signing-secret"),
                new NotificationChannelConfig(NotificationChannelType.MATRIX, URI.create("https://matrix.example.org"),
                        "!ops:example.org", "syt_matrix_token_123", null)),
                notifications.channels());
        assertEquals(Set.of(NotificationEventType.CIRCUIT_OPENED, NotificationEventType.MODEL_UNAVAILABLE),
                notifications.events());
        assertEquals(Duration.ofMinutes(10), notifications.minInterval());
        assertTrue(notifications.enabled());
    }

    @Test
    void secretsAreNeverPrintedButAreListedForTheRedactor() {
        GatewayConfig config = parse("""
                notifications:
                  channels:
                    - {type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/hook-token-1", secret: "${env:FEISHU_SECRET}"}
                    - {type: matrix, url: "https://matrix.example.org", room_id: "!ops:example.org", access_token: "${env:MATRIX_TOKEN}"}
                """);

        String printed = config.toString();
        assertFalse(printed.contains("syt_matrix_token_123"), printed);
        assertFalse(printed.contains("feishu-signing-secret"), printed);
        assertFalse(printed.contains("hook-token-1"), printed);
        assertTrue(printed.contains("access_token=(set)"), printed);
        assertEquals(List.of("feishu-signing-secret", "https://open.feishu.cn/open-apis/bot/v2/hook/hook-token-1",
                "syt_matrix_token_123"), config.notifications().secrets());
    }

    @Test
    void anEmptyEventListSendsNothing() {
        NotificationsConfig notifications = parse("""
                notifications:
                  channels: [{type: slack, url: "https://hooks.slack.com/services/x"}]
                  events: []
                """).notifications();

        assertEquals(Set.of(), notifications.events());
        assertFalse(notifications.enabled());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSections")
    void reportsTheExactProblemAtItsFieldPath(String description, String section, String expectedProblem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(section));

        assertEquals(List.of(expectedProblem), e.problems().stream().map(ConfigProblem::toString).toList(),
                description);
    }

    static Stream<Arguments> invalidSections() {
        return Stream.of(
                invalid("section is a list", "notifications: [slack]",
                        "notifications: must be a map with the fields [channels, events, min_interval]"),
                invalid("unknown section field", "notifications: {chanels: []}", "notifications.chanels: unknown field"),
                invalid("channels is a map", "notifications: {channels: {type: slack}}",
                        "notifications.channels: must be a list"),
                invalid("unknown channel field", channel("type: slack, url: \"https://h.example/x\", token: t"),
                        "notifications.channels[0].token: unknown field"),
                invalid("unknown channel type", channel("type: teams, url: \"https://h.example/x\""),
                        "notifications.channels[0].type: 'teams' is not a channel type "
                                + "(use webhook, feishu, matrix or slack)"),
                invalid("type missing", channel("url: \"https://h.example/x\""),
                        "notifications.channels[0].type: is required"),
                invalid("url missing", channel("type: webhook"), "notifications.channels[0].url: is required"),
                invalid("url relative", channel("type: webhook, url: hooks.example.com/x"),
                        "notifications.channels[0].url: not an absolute http(s) URL"),
                invalid("url not http", channel("type: slack, url: \"ftp://hooks.example.com/x\""),
                        "notifications.channels[0].url: not an absolute http(s) URL"),
                invalid("url with a fragment", channel("type: webhook, url: \"https://h.example/x#y\""),
                        "notifications.channels[0].url: must not have a fragment"),
                invalid("matrix without room", channel("type: matrix, url: \"https://m.example\", access_token: t"),
                        "notifications.channels[0].room_id: is required"),
                invalid("matrix without token", channel("type: matrix, url: \"https://m.example\", room_id: \"!r:m\""),
                        "notifications.channels[0].access_token: is required"),
                invalid("matrix with blank token",
                        channel("type: matrix, url: \"https://m.example\", room_id: \"!r:m\", access_token: \" \""),
                        "notifications.channels[0].access_token: must not be blank"),
                invalid("matrix url with a query",
                        channel("type: matrix, url: \"https://m.example?x=1\", room_id: \"!r:m\", access_token: t"),
                        "notifications.channels[0].url: must not have a query "
                                + "(the homeserver's base URL, e.g. https://matrix.example.org)"),
                invalid("room on slack", channel("type: slack, url: \"https://h.example/x\", room_id: \"!r:m\""),
                        "notifications.channels[0].room_id: only allowed when type is matrix"),
                invalid("token on webhook", channel("type: webhook, url: \"https://h.example/x\", access_token: t"),
                        "notifications.channels[0].access_token: only allowed when type is matrix"),
                invalid("secret on slack", channel("type: slack, url: \"https://h.example/x\", secret: s"),
                        "notifications.channels[0].secret: only allowed when type is feishu"),
                invalid("blank feishu secret", channel("type: feishu, url: \"https://h.example/x\", secret: \"\""),
                        "notifications.channels[0].secret: must not be blank"),
                invalid("unknown event", "notifications: {events: [circuit_opened, backend_down]}",
                        "notifications.events[1]: 'backend_down' is not an event (use deployment_down, "
                                + "deployment_recovered, circuit_opened, key_disabled, model_unavailable, "
                                + "quota_exhausted, config_reload_failed, request_log_drops)"),
                invalid("duplicate event", "notifications: {events: [circuit_opened, circuit_opened]}",
                        "notifications.events[1]: duplicate event 'circuit_opened'"),
                invalid("events is a string", "notifications: {events: circuit_opened}",
                        "notifications.events: must be a list"),
                invalid("min_interval without unit", "notifications: {min_interval: 300}",
                        "notifications.min_interval: '300' is not a duration "
                                + "(use a number with a unit: 250ms, 30s, 5m, 1h)"));
    }

    private static Arguments invalid(String description, String section, String expectedProblem) {
        return Arguments.of(description, section + "\n", expectedProblem);
    }

    private static String channel(String fields) {
        return "notifications: {channels: [{" + fields + "}]}";
    }
}
