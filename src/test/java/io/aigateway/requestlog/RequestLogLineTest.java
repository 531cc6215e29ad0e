package io.aigateway.requestlog;

import io.aigateway.log.RequestRecord;
import io.aigateway.routing.FailureClass;
import io.aigateway.testing.Json;
import io.aigateway.usage.Usage;
import jakarta.json.JsonObject;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each request is one JSON line on the logger aigateway.request, written by the time the listener closes. */
class RequestLogLineTest {

    @Test
    void eachRequestIsOneJsonLineOnTheRequestLogger() {
        List<String> lines = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        Logger logger = (Logger)LogManager.getLogger(RequestLogLine.LOGGER);
        logger.addAppender(appender);
        logger.setLevel(org.apache.logging.log4j.Level.INFO);
        try (RequestLogLine requestLine = new RequestLogLine()) {
            requestLine.onRequest(new RequestRecord(Instant.parse("2026-01-01T00:00:00Z"), "team", "k1",
                    "gpt-4o", "CHAT_COMPLETIONS", "b", "b/gpt-4o", 200, true, 2, List.of(FailureClass.SERVER_ERROR),
                    null, false, Duration.ofMillis(40), Duration.ofMillis(900), "req-1", "10.0.0.7",
                    "/v1/chat/completions",
                    new Usage(120, 30, 100, false, new java.math.BigDecimal("0.00042")),
                    new io.aigateway.log.CapturedBodies("{\"prompt\":\"captured-prompt\"}", "captured-reply", false)));
        } finally {
            logger.removeAppender(appender);
        }
        assertEquals(1, lines.size());
        assertTrue(!lines.get(0).contains("\n"));
        // Captured bodies belong in the store only, never in the log line.
        assertTrue(!lines.get(0).contains("captured-"), lines.get(0));
        JsonObject line = Json.parse(lines.get(0));
        assertEquals("req-1", line.getString("request_id"));
        assertEquals("team", line.getString("tenant"));
        assertEquals("k1", line.getString("key_id"));
        assertEquals("10.0.0.7", line.getString("client_ip"));
        assertEquals("b/gpt-4o", line.getString("deployment"));
        assertEquals("SERVER_ERROR", line.getJsonArray("failures").getString(0));
        assertEquals(900, line.getInt("latency_ms"));
        assertEquals(40, line.getInt("first_byte_ms"));
        assertTrue(line.getBoolean("stream"));
        assertEquals(120, line.getInt("prompt_tokens"));
        assertEquals(30, line.getInt("completion_tokens"));
        assertEquals(100, line.getInt("cached_tokens"));
        assertEquals(false, line.getBoolean("tokens_estimated"));
        assertEquals(new java.math.BigDecimal("0.00042"), line.getJsonNumber("cost").bigDecimalValue());
    }

    @Test
    void aRecordIsEitherWrittenOrCountedAsDroppedWhenTheQueueIsFull() {
        List<String> lines = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("capture-full", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        Logger logger = (Logger)LogManager.getLogger(RequestLogLine.LOGGER);
        logger.addAppender(appender);
        logger.setLevel(org.apache.logging.log4j.Level.INFO);
        int offered = 0;
        long dropped;
        try {
            // A queue of two and a long linger: the writer holds its first record while the queue fills.
            try (RequestLogLine requestLine = new RequestLogLine(2, 60_000)) {
                while (requestLine.dropped() == 0 && offered < 100) {
                    requestLine.onRequest(record("req-" + offered++));
                }
                dropped = requestLine.dropped();
            }
        } finally {
            logger.removeAppender(appender);
        }
        assertTrue(dropped > 0, "the queue was full");
        assertEquals(offered, lines.size() + dropped, "every record was written or counted: " + lines);
    }

    private static RequestRecord record(String id) {
        return new RequestRecord(Instant.parse("2026-01-01T00:00:00Z"), "team", "k1", "gpt-4o", "CHAT_COMPLETIONS", "b",
                "b/gpt-4o", 200, false, 1, List.of(), null, false, Duration.ofMillis(40), Duration.ofMillis(90), id,
                "10.0.0.7", "/v1/chat/completions", null, null);
    }
}
