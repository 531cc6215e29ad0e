package io.aigateway.log;

import io.aigateway.config.LogChannelConfig;
import io.aigateway.config.LoggingConfig;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channels in a logger context of their own: each log in its own file and nowhere else, at its own level,
 * rolled by size into gzipped files of which only {@code max_backups} are kept, redacted, and gone on close.
 */
class LogChannelsTest {
    private static final Pattern ROLLED_REQUEST = Pattern.compile("request-\\d{4}-\\d{2}-\\d{2}-(\\d+)\\.log\\.gz");
    /** A rolled file not yet compressed, in {@link #listing()}. */
    private static final Pattern UNCOMPRESSED_REQUEST = Pattern.compile("request-[\\d-]+\\.log ");

    @TempDir
    Path directory;
    private LoggerContext context;

    @BeforeEach
    void startContext() {
        context = new LoggerContext("log-channels-test");
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop(10, TimeUnit.SECONDS);
    }

    @Test
    void eachLogLandsInItsOwnFileOnlyAtItsLevel() throws IOException {
        LoggingConfig logging = new LoggingConfig(List.of(
            new LogChannelConfig("app", "logs/gateway.log", "warn", 100, 10, 30, true),
            LogChannelConfig.of("request", "logs/request.log"),
            LogChannelConfig.of("audit", "audit/audit.log")));
        LogChannels channels = LogChannels.start(context, logging, directory).orElseThrow();
        assertTrue(Files.isRegularFile(directory.resolve("logs/gateway.log")), "app file created at start");
        assertTrue(Files.isRegularFile(directory.resolve("logs/request.log")), "request file created at start");
        assertTrue(Files.isRegularFile(directory.resolve("audit/audit.log")), "audit file created at start");

        Logger app = context.getLogger("io.aigateway.proxy.GatewayServlet");
        app.warn("app-warn-line");
        app.info("app-info-line");
        context.getLogger("org.eclipse.jetty.client.HttpClient").warn("jetty-warn-line");
        context.getLogger(LogChannels.REQUEST_LOGGER).info("{\"request\":\"request-line\"}");
        context.getLogger(LogChannels.REQUEST_LOGGER).debug("request-debug-line");
        context.getLogger(LogChannels.AUDIT_LOGGER).info("{\"audit\":\"audit-line\"}");
        channels.close(); // drains the asynchronous appenders

        String appFile = Files.readString(directory.resolve("logs/gateway.log"));
        String requestFile = Files.readString(directory.resolve("logs/request.log"));
        String auditFile = Files.readString(directory.resolve("audit/audit.log"));
        assertTrue(appFile.contains("WARN") && appFile.contains("app-warn-line"), appFile);
        assertTrue(appFile.contains("jetty-warn-line"), appFile);
        assertFalse(appFile.contains("app-info-line"), "below the app channel's level: " + appFile);
        assertEquals("{\"request\":\"request-line\"}\n", requestFile, "one bare JSON line, nothing else");
        assertEquals("{\"audit\":\"audit-line\"}\n", auditFile, "one bare JSON line, nothing else");
        assertFalse(appFile.contains("request-line") || appFile.contains("audit-line"), "only in their own files: " + appFile);
    }

    @Test
    void rollsBySizeIntoGzippedFilesKeepingMaxBackups() throws Exception {
        LoggingConfig logging = new LoggingConfig(List.of(
            new LogChannelConfig("request", "request.log", "info", 1, 1, 30, true)));
        LogChannels channels = LogChannels.start(context, logging, directory).orElseThrow();
        Logger request = context.getLogger(LogChannels.REQUEST_LOGGER);
        String padding = "x".repeat(1000);
        // Three times a little over 1 MiB: the file rolls at least twice. Under the queue's size each time, so
        // that the non-blocking queue drops nothing.
        for (int chunk = 0; chunk < 3; chunk++) {
            for (int i = 0; i < 1100; i++)
                request.info("{\"chunk\":" + chunk + ",\"line\":" + i + ",\"pad\":\"" + padding + "\"}");
            int rolledBefore = chunk;
            awaitTrue(() -> highestRolledIndex() >= rolledBefore, "roll " + chunk + " did not happen: " + listing());
        }
        channels.close();

        // The compression and the Delete action run after each roll; in the end only the newest backup is left.
        awaitTrue(() -> rolled().size() == 1 && !UNCOMPRESSED_REQUEST.matcher(listing()).find(),
            "one rolled file left: " + listing());
        Path rolled = rolled().get(0);
        assertTrue(highestRolledIndex() >= 2, listing());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rolled))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("{\"chunk\":"), "a gzipped request log: " + text.substring(0, 40));
            assertTrue(text.length() > 1024 * 1024, "rolled after 1 MiB: " + text.length());
        }
    }

    @Test
    void redactsEveryChannel() throws IOException {
        LoggingConfig logging = new LoggingConfig(List.of(LogChannelConfig.of("app", "app.log"),
            LogChannelConfig.of("audit", "audit.log")));
        LogChannels channels = LogChannels.start(context, logging, directory).orElseThrow();
        context.getLogger("io.aigateway.Anything").info("header Authorization: Bearer app-secret-token-1");
        context.getLogger(LogChannels.AUDIT_LOGGER).info("{\"api-key\":\"audit-secret-token-2\"}");
        channels.close();

        String app = Files.readString(directory.resolve("app.log"));
        String audit = Files.readString(directory.resolve("audit.log"));
        assertTrue(app.contains(SecretRedactor.MASK) && !app.contains("app-secret-token-1"), app);
        assertTrue(audit.contains(SecretRedactor.MASK) && !audit.contains("audit-secret-token-2"), audit);
    }

    @Test
    void closeGivesTheContextItsStandardConfigurationBack() {
        var standard = context.getConfiguration();
        LogChannels channels = LogChannels.start(context,
            new LoggingConfig(List.of(LogChannelConfig.of("request", "request.log"))), directory).orElseThrow();
        assertInstanceOf(ChannelConfiguration.class, context.getConfiguration());
        assertTrue(context.getConfiguration().getAppenders().containsKey("request"));

        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("Log4j2-AsyncAppender")
            && t.getName().endsWith("-request")), "the channel writes on a thread of its own");

        channels.close();
        assertFalse(context.getConfiguration() instanceof ChannelConfiguration);
        assertNotSame(standard, context.getConfiguration());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("Log4j2-AsyncAppender")
            && t.getName().endsWith("-request")), "the channel's writer thread ended");
    }

    @Test
    void noChannelsLeaveTheContextAlone() {
        var standard = context.getConfiguration();
        Optional<LogChannels> channels = LogChannels.start(context, LoggingConfig.defaults(), directory);
        assertTrue(channels.isEmpty());
        assertEquals(standard, context.getConfiguration());
    }

    private List<Path> rolled() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> ROLLED_REQUEST.matcher(f.getFileName().toString()).matches()).toList();
        }
    }

    private int highestRolledIndex() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> ROLLED_REQUEST.matcher(f.getFileName().toString()))
                .filter(java.util.regex.Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }

    private String listing() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString() + " ").sorted().reduce("", String::concat);
        }
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    /** Rolling, compressing and deleting happen on log4j2's own threads: a bounded wait for their outcome. */
    private static void awaitTrue(Check check, String message) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!check.holds()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError(message);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
