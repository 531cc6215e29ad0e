package io.aigateway.testing;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads server-sent events for a test, handing each one over as soon as its terminating blank
 * line arrives, e.g. from {@code HttpClient.send(request, BodyHandlers.ofInputStream()).body()}.
 * A daemon thread does the blocking reads so that {@link #next()} can give up after a timeout.
 * Comments and {@code id:}/{@code retry:} fields are ignored; an event cut off by the end of the
 * stream is discarded, as the SSE specification says.
 */
public final class Sse implements AutoCloseable {

    /** The default wait for the next event. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One event.
     *
     * @param event the {@code event:} field, or {@code null} when the event had none
     * @param data  the {@code data:} lines joined with {@code \n}
     */
    public record Event(String event, String data) {

        public JsonObject json() {
            return Json.parse(data);
        }

        /** Whether this is OpenAI's {@code data: [DONE]} terminator. */
        public boolean isDone() {
            return "[DONE]".equals(data);
        }
    }

    private record End(IOException failure) {
    }

    private final InputStream in;
    private final Duration timeout;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private End end;
    private volatile boolean closed;

    public Sse(InputStream in) {
        this(in, DEFAULT_TIMEOUT);
    }

    public Sse(InputStream in, Duration timeout) {
        this.in = in;
        this.timeout = timeout;
        Thread reader = new Thread(this::readAll, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The next event, waiting for it up to the timeout; {@code null} once the stream has ended.
     *
     * @throws UncheckedIOException if the stream failed instead of ending (e.g. the connection was cut)
     * @throws AssertionError       if no event arrived in time
     */
    public Event next() {
        if (end == null) {
            Object item;
            try {
                item = arrived.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for an event", e);
            }
            if (item == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (item instanceof Event event) {
                return event;
            }
            end = (End) item;
        }
        if (end.failure() != null) {
            throw new UncheckedIOException("event stream failed", end.failure());
        }
        return null;
    }

    /** Every event until the end of the stream. */
    public List<Event> remaining() {
        List<Event> events = new ArrayList<>();
        for (Event event = next(); event != null; event = next()) {
            events.add(event);
        }
        return events;
    }

    /** Closes the stream, which also ends the reading thread. */
    @Override
    public void close() {
        closed = true;
        try {
            in.close();
        } catch (IOException ignored) {
            // The stream is being abandoned; there is nothing left to report to.
        }
    }

    private void readAll() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String type = null;
            StringBuilder data = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (data != null || type != null) {
                        arrived.add(new Event(type, data == null ? "" : data.toString()));
                    }
                    type = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    type = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
            arrived.add(new End(null));
        } catch (IOException e) {
            arrived.add(new End(closed ? null : e));
        }
    }
}
