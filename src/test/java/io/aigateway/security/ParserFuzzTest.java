package io.aigateway.security;

import io.aigateway.proxy.JsonBody;
import io.aigateway.proxy.RoutableBody;
import io.aigateway.proxy.stream.SseEvent;
import io.aigateway.proxy.stream.SseEventScanner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated input for the two parsers that read what strangers send: the request body parser (clients) and
 * the server-sent event scanner (backends). Seeded, so a failure names its case and replays. Only the documented
 * exception may escape; anything else would surface as a 500 or a hung exchange.
 */
class ParserFuzzTest {
    private static final long SEED = 0x5EC_F022L;
    private static final int CASES = 20_000;

    private static final String[] JSON_SEEDS = {
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}",
        "{\"model\":\"gpt-4o\",\"stream\":false,\"stream_options\":{\"include_usage\":true},\"n\":1.5e3}",
        "{\"input\":[\"a\",\"b\"],\"model\":\"text-embedding-3-small\",\"dimensions\":256}",
        "{\"mod\\u0065l\":\"caf\\u00e9 \\\"quoted\\\"\",\"messages\":[[],{},[{}],null,true,false,-0.0,12345678901234567890]}",
        "  {\"model\" : \"\u00fc\u20ac\ud83d\ude00\", \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}  ",
        "{}",
        "{\"messages\":[],\"stream\":null}",
    };

    private static final String[] JSON_TOKENS = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\u00", "\\ud83d", "\"model\"", "\"stream\"", "\"stream_options\"",
        "\"include_usage\"", "true", "false", "null", "0", "-1", "1e999", "1.7976931348623157e309", "\"x\"", " ", "\n",
        "\u00e9", "\ud83d\ude00", "\u0000", "\u2028", "\ufeff",
    };

    @Test
    void jsonBodyParseThrowsOnlyInvalidBodyException() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                byte[] input = jsonCase(random, i);
                checkJsonBody(i, input);
            }
        });
    }

    @Test
    void deepNestingInAnyPositionIsAnInvalidBody() {
        for (String open : new String[]{"[", "{\"a\":"}) {
            String close = open.equals("[") ? "]" : "}";
            for (int depth : new int[]{999, 1_000, 1_001, 10_000, 100_000}) {
                String nested = open.repeat(depth) + "1" + close.repeat(depth);
                checkJsonBody(depth, ("{\"model\":\"m\",\"x\":" + nested + "}").getBytes(StandardCharsets.UTF_8));
                checkJsonBody(depth, ("{\"stream_options\":{\"x\":" + nested + "},\"model\":\"m\"}").getBytes(StandardCharsets.UTF_8));
                checkJsonBody(depth, (open.repeat(depth)).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Parses one input. On success the model can be replaced and the result parses again with the new model (the
     * splice keeps the body valid JSON, whatever escapes or position the model had).
     */
    private static void checkJsonBody(int index, byte[] input) {
        JsonBody body;
        try {
            body = JsonBody.parse(input);
        } catch (RoutableBody.InvalidBodyException expected) {
            assertEquals(400, expected.error().status());
            return;
        } catch (Throwable other) {
            fail("case " + index + " threw " + other + " for " + show(input), other);
            return;
        }
        String upstream = "dep-\"\u00fc\\\u0001";
        try {
            JsonBody rewritten = JsonBody.parse(body.withModel(upstream));
            assertEquals(upstream, rewritten.model(), () -> "case " + index + ": " + show(input));
            assertEquals(body.stream(), rewritten.stream(), () -> "case " + index + ": " + show(input));
        } catch (RoutableBody.InvalidBodyException x) {
            fail("case " + index + ": the rewritten body is invalid (" + x.getMessage() + ") for " + show(input));
        }
    }

    private static byte[] jsonCase(Random random, int index) {
        switch (index % 4) {
            case 0 -> {
                // Random bytes.
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 1 -> {
                // Random tokens: mostly syntax errors, sometimes valid.
                StringBuilder text = new StringBuilder();
                for (int n = random.nextInt(40); n > 0; n--)
                    text.append(JSON_TOKENS[random.nextInt(JSON_TOKENS.length)]);
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                // A valid body mutated: flipped, inserted, deleted, duplicated bytes, or truncated.
                byte[] bytes = JSON_SEEDS[random.nextInt(JSON_SEEDS.length)].getBytes(StandardCharsets.UTF_8);
                for (int n = 1 + random.nextInt(4); n > 0; n--)
                    bytes = mutate(random, bytes, JSON_TOKENS);
                return bytes;
            }
        }
    }

    @Test
    void sseScannerThrowsOnlyEventTooLargeAndFramesConsistently() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(SEED + 1);
            for (int i = 0; i < CASES; i++) {
                byte[] stream = sseCase(random, i);
                int maxEvent = random.nextBoolean() ? SseEventScanner.DEFAULT_MAX_EVENT_BYTES : 1 + random.nextInt(128);
                Scan whole = scan(i, stream, new int[]{stream.length}, maxEvent);
                Scan split = scan(i, stream, splits(random, stream.length), maxEvent);
                if (whole.tooLarge || split.tooLarge)
                    continue;
                String context = "case " + i + ": " + show(stream);
                assertArrayEquals(stream, whole.raw, context);
                assertArrayEquals(stream, split.raw, context);
                assertEquals(whole.events, split.events, context);
            }
        });
    }

    private record Scan(List<String> events, byte[] raw, boolean tooLarge) {
    }

    /** Feeds the stream in chunks of the given sizes; collects events that carry something (keep-alives vary with splits). */
    private static Scan scan(int index, byte[] stream, int[] chunks, int maxEvent) {
        SseEventScanner scanner = new SseEventScanner(maxEvent);
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        java.util.function.Consumer<SseEvent> sink = event -> {
            raw.writeBytes(event.rawBytes());
            if (event.name() != null || event.data() != null)
                events.add(event.name() + "|" + event.data());
        };
        int offset = 0;
        try {
            for (int size : chunks) {
                // Copy each chunk, as the network would deliver it, so that views of the input cannot hide a bug.
                ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOfRange(stream, offset, offset + size));
                scanner.feed(chunk, sink);
                assertEquals(chunk.limit(), chunk.position(), "case " + index + ": chunk not consumed");
                offset += size;
            }
            scanner.finish(sink);
        } catch (SseEventScanner.EventTooLargeException expected) {
            return new Scan(events, raw.toByteArray(), true);
        } catch (Throwable other) {
            fail("case " + index + " threw " + other + " for " + show(stream), other);
        }
        return new Scan(events, raw.toByteArray(), false);
    }

    private static final String[] SSE_TOKENS = {
        "data: ", "data:", "data", "event: ", "event:error", "id: 1", "retry: 10", ": keep-alive", ":", " ", "\n", "\r", "\r\n",
        "\n\n", "\r\n\r\n", "\r\r", "{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}", "[DONE]", "\u00e9", "\ud83d\ude00",
        "\ufeff", "\u0000",
    };

    private static byte[] sseCase(Random random, int index) {
        if (index % 3 == 0) {
            byte[] bytes = new byte[random.nextInt(200)];
            for (int i = 0; i < bytes.length; i++) {
                // Random bytes, rich in line ends.
                int pick = random.nextInt(8);
                bytes[i] = pick == 0 ? (byte)'\n' : pick == 1 ? (byte)'\r' : (byte)random.nextInt(256);
            }
            return bytes;
        }
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(60); n > 0; n--)
            text.append(SSE_TOKENS[random.nextInt(SSE_TOKENS.length)]);
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return index % 3 == 1 ? bytes : mutate(random, bytes, SSE_TOKENS);
    }

    private static int[] splits(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = Math.min(left, random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(Math.max(1, length / 3 + 1)));
            sizes.add(size);
            left -= size;
        }
        if (random.nextBoolean())
            sizes.add(random.nextInt(sizes.size() + 1), 0); // an empty chunk anywhere
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] mutate(Random random, byte[] bytes, String[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        switch (random.nextInt(6)) {
            case 0 -> { // flip a byte
                byte[] copy = bytes.clone();
                if (copy.length > 0)
                    copy[at] ^= (byte)(1 << random.nextInt(8));
                return copy;
            }
            case 1 -> { // insert a token
                out.write(bytes, 0, at);
                out.writeBytes(tokens[random.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8));
                out.write(bytes, at, bytes.length - at);
            }
            case 2 -> { // delete a range
                int end = Math.min(bytes.length, at + 1 + random.nextInt(8));
                out.write(bytes, 0, at);
                out.write(bytes, end, bytes.length - end);
            }
            case 3 -> { // truncate
                out.write(bytes, 0, at);
            }
            case 4 -> { // duplicate a range
                int end = Math.min(bytes.length, at + 1 + random.nextInt(16));
                out.write(bytes, 0, end);
                out.write(bytes, at, bytes.length - at);
            }
            default -> { // a random byte
                out.write(bytes, 0, at);
                out.write(random.nextInt(256));
                out.write(bytes, at, bytes.length - at);
            }
        }
        return out.toByteArray();
    }

    private static String show(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\' && b != '"')
                out.append((char)b);
            else
                out.append(String.format("\\x%02x", b));
        }
        return out.append(bytes.length > 300 ? "...\"" : "\"").toString();
    }
}
