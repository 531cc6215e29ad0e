package io.aigateway.log;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With every logger at DEBUG, Jetty's included, no log line (message or stack trace) contains a gateway key or a
 * backend key, through successful, streamed, failing and unauthenticated requests.
 */
class SecretsNeverLoggedTest {
    /** Not in the {@code sk-} shape, so that only the structural redaction can catch them. */
    static final String CLIENT_CANARY = "gw-canary-client-7f3a9c1e";
    static final String BACKEND_CANARY = "up-canary-backend-51d0b2aa";

    @Test
    void noKeyReachesAnyLogLineAtDebug() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext)LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        AbstractAppender capture = new AbstractAppender("capture", null, PatternLayout.createDefaultLayout(), true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                lines.add(line.toString());
            }
        };
        capture.start();
        configuration.addAppender(capture);
        LoggerConfig root = configuration.getRootLogger();
        Level rootLevel = root.getLevel();
        LoggerConfig jetty = configuration.getLoggerConfig("org.eclipse.jetty");
        Level jettyLevel = jetty.getLevel();
        root.addAppender(capture, Level.ALL, null);
        root.setLevel(Level.DEBUG);
        jetty.setLevel(Level.DEBUG);
        context.updateLoggers();
        try (FakeBackend backend = FakeBackend.start("canary");
             GatewayServer gateway = GatewayServer.start(canaryConfig(backend, ""))) {
            sendCanaryTraffic(backend, gateway);
        } finally {
            root.removeAppender("capture");
            root.setLevel(rootLevel);
            jetty.setLevel(jettyLevel);
            context.updateLoggers();
            capture.stop();
        }

        assertTrue(lines.size() > 50, "DEBUG logging was on and produced lines: " + lines.size());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("org.eclipse.jetty.client")), "Jetty's client logged at DEBUG");
        List<String> leaks = lines.stream().filter(line -> line.contains(CLIENT_CANARY) || line.contains(BACKEND_CANARY)).toList();
        assertTrue(leaks.isEmpty(), leaks.size() + " log lines hold a key:\n" + String.join("\n", leaks));
    }

    /**
     * The same traffic with the gateway's own log channels, every channel at DEBUG and Jetty's loggers too: no
     * channel file holds a key, while the files did receive Jetty's DEBUG output.
     */
    @Test
    void noKeyReachesAnyChannelFileAtDebug(@TempDir Path logs) throws Exception {
        LoggerContext context = (LoggerContext)LogManager.getContext(false);
        try (FakeBackend backend = FakeBackend.start("canary");
             GatewayServer gateway = GatewayServer.start(canaryConfig(backend, """
                 logging:
                   channels:
                     - {name: app, file: "%1$s/app.log", level: debug}
                     - {name: request, file: "%1$s/request.log", level: debug}
                     - {name: audit, file: "%1$s/audit.log", level: debug}
                 """.formatted(logs)))) {
            assertInstanceOf(ChannelConfiguration.class, context.getConfiguration(), "the channels are in force");
            Configurator.setLevel("org.eclipse.jetty", Level.DEBUG);
            sendCanaryTraffic(backend, gateway);
            LogManager.getLogger(LogChannels.REQUEST_LOGGER).debug("{\"note\":\"a request line\"}");
            LogManager.getLogger(LogChannels.AUDIT_LOGGER).debug("{\"note\":\"an audit line\"}");
        }
        assertFalse(context.getConfiguration() instanceof ChannelConfiguration, "undeploy restored the standard configuration");

        String app = Files.readString(logs.resolve("app.log"));
        assertTrue(app.lines().count() > 50, "DEBUG logging was on and produced lines: " + app.lines().count());
        assertTrue(app.contains("o.e.j.c."), "Jetty's client logged at DEBUG into the app channel");
        assertTrue(Files.readString(logs.resolve("request.log")).contains("a request line"));
        assertTrue(Files.readString(logs.resolve("audit.log")).contains("an audit line"));
        for (String file : List.of("app.log", "request.log", "audit.log")) {
            List<String> leaks = Files.readAllLines(logs.resolve(file)).stream()
                .filter(line -> line.contains(CLIENT_CANARY) || line.contains(BACKEND_CANARY)).toList();
            assertTrue(leaks.isEmpty(), leaks.size() + " lines of " + file + " hold a key:\n" + String.join("\n", leaks));
        }
    }

    private static String canaryConfig(FakeBackend backend, String more) {
        return """
            tenants: [{name: canary, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: openai, flavor: openai, endpoint: "%s/v1", keys: ["%s"], models: [gpt-4o]}
              - {name: azure, flavor: azure, endpoint: "%s", keys: ["%s"], deployments: [{name: d, model: az}]}
              - {name: dead, flavor: openai, endpoint: "%s/v1", keys: ["%s"], models: [dead]}
            """.formatted(CLIENT_CANARY, backend.url(), BACKEND_CANARY, backend.url(), BACKEND_CANARY,
            FakeBackend.refusedUrl(), BACKEND_CANARY) + more;
    }

    /** Successful, streamed, failing and unauthenticated requests, the keys in every header that carries one. */
    private static void sendCanaryTraffic(FakeBackend backend, GatewayServer gateway) throws Exception {
        gateway.post("/v1/chat/completions", CLIENT_CANARY, Json.chat("gpt-4o", false));
        gateway.post("/v1/chat/completions", CLIENT_CANARY, Json.chat("gpt-4o", true));
        gateway.post("/v1/chat/completions", CLIENT_CANARY, Json.chat("az", false));
        backend.enqueue(Reply.error(500, "server_error", null, "boom"));
        gateway.post("/v1/chat/completions", CLIENT_CANARY, Json.chat("az", false));
        gateway.post("/v1/chat/completions", CLIENT_CANARY, Json.chat("dead", false));
        gateway.post("/v1/chat/completions", CLIENT_CANARY + "-wrong", Json.chat("gpt-4o", false));
        gateway.send(gateway.request("/v1/models", null).header("api-key", CLIENT_CANARY).GET().build());
        gateway.send(gateway.request("/v1/chat/completions", null).header("x-api-key", CLIENT_CANARY)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{bad json")).build());
    }
}
