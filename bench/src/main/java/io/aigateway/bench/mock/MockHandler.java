package io.aigateway.bench.mock;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Answers {@code POST .../chat/completions} as OpenAI does: JSON, or server-sent events when the body asks for
 * {@code "stream":true}. The pacing comes from request headers, so every proxy in front passes it through unchanged:
 * {@code x-mock-delay-ms} before the first byte, {@code x-mock-chunks} content chunks and {@code x-mock-gap-ms}
 * between events. Streams are written asynchronously from a scheduler, so thousands of open streams hold no thread.
 */
final class MockHandler extends Handler.Abstract {

    static final String DELAY_HEADER = "x-mock-delay-ms";
    static final String CHUNKS_HEADER = "x-mock-chunks";
    static final String GAP_HEADER = "x-mock-gap-ms";

    private static final int DEFAULT_CHUNKS = 16;
    private static final long DEFAULT_GAP_MS = 20;
    private static final byte[] MODELS = ("{\"object\":\"list\",\"data\":[{\"id\":\"" + ChatPayloads.MODEL
        + "\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"bench\"}]}").getBytes();

    private final Scheduler scheduler;

    MockHandler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if ("GET".equals(request.getMethod()) && path.endsWith("/models")) {
            writeJson(response, MODELS, callback);
            return true;
        }
        if (!"POST".equals(request.getMethod()) || !path.endsWith("/chat/completions")) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        // The body is a few hundred bytes that arrive with the headers, so this read does not wait.
        String body = Content.Source.asString(request);
        boolean stream = body.contains("\"stream\":true") || body.contains("\"stream\": true");
        long delayMs = longHeader(request, DELAY_HEADER, 0);
        if (!stream) {
            Runnable answer = () -> writeJson(response, ChatPayloads.completionBytes(), callback);
            if (delayMs > 0) {
                scheduler.schedule(answer, delayMs, TimeUnit.MILLISECONDS);
            } else {
                answer.run();
            }
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        int chunks = (int) longHeader(request, CHUNKS_HEADER, DEFAULT_CHUNKS);
        long gapMs = longHeader(request, GAP_HEADER, DEFAULT_GAP_MS);
        new Stream(response, callback, chunks, gapMs).schedule(delayMs);
        return true;
    }

    private static void writeJson(Response response, byte[] json, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    private static long longHeader(Request request, String name, long fallback) {
        String value = request.getHeaders().get(name);
        return value == null ? fallback : Long.parseLong(value.trim());
    }

    /** One stream: content chunks 0..chunks-1, then [DONE], each event a separate write a gap after the last. */
    private final class Stream implements Callback {
        private final Response response;
        private final Callback done;
        private final int chunks;
        private final long gapMs;
        private int next;

        Stream(Response response, Callback done, int chunks, long gapMs) {
            this.response = response;
            this.done = done;
            this.chunks = chunks;
            this.gapMs = gapMs;
        }

        void schedule(long delayMs) {
            scheduler.schedule(this::writeNext, delayMs, TimeUnit.MILLISECONDS);
        }

        private void writeNext() {
            int index = next++;
            if (index < chunks) {
                response.write(false, ByteBuffer.wrap(ChatPayloads.chunkBytes(index)), this);
            } else {
                response.write(true, ByteBuffer.wrap(ChatPayloads.doneBytes()), done);
            }
        }

        @Override
        public void succeeded() {
            schedule(gapMs);
        }

        @Override
        public void failed(Throwable cause) {
            done.failed(cause); // the client went away: the stream ends here
        }
    }
}
