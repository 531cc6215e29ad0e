package io.aigateway.testing;

import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link FakeBackend} does with one request: answer, stream, hang, or drop the connection.
 * Replies are immutable and may be reused; {@link #withHeader} and {@link #gatedBy} return copies.
 */
public class Reply {

    static final String JSON = "application/json";

    /** Carries a reply out on one exchange. */
    interface Action {
        void perform(Exchange exchange, Reply reply);
    }

    record Header(String name, String value) {
    }

    private final Action action;
    private final boolean streams;
    final List<Header> headers;
    final StreamGate gate;

    Reply(Action action, boolean streams, List<Header> headers, StreamGate gate) {
        this.action = action;
        this.streams = streams;
        this.headers = List.copyOf(headers);
        this.gate = gate;
    }

    private static Reply of(boolean streams, Action action) {
        return new Reply(action, streams, List.of(), null);
    }

    /** A JSON body with the given status. */
    public static Reply json(int status, String body) {
        return text(status, JSON, body);
    }

    /** Any body with any content type, e.g. the HTML error page of a load balancer in front of a backend. */
    public static Reply text(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return of(false, (exchange, reply) -> exchange.send(status, contentType, bytes, reply.headers));
    }

    /** OpenAI's error shape: {@code {"error":{"message","type","param":null,"code"}}}; a null code is sent as null. */
    public static Reply error(int status, String type, String code, String message) {
        JsonObjectBuilder error = Json.object().add("message", message).add("type", type).addNull("param");
        if (code == null) {
            error.addNull("code");
        } else {
            error.add("code", code);
        }
        return json(status, Json.object().add("error", error).build().toString());
    }

    /**
     * Azure OpenAI's error shape:
     * {@code {"error":{"code","message","param":null,"type":null,"inner_error":{"code"}}}}.
     */
    public static Reply azureError(int status, String code, String message) {
        JsonObjectBuilder error = Json.object()
                .add("code", code)
                .add("message", message)
                .addNull("param")
                .addNull("type")
                .add("inner_error", Json.object().add("code", code));
        return json(status, Json.object().add("error", error).build().toString());
    }

    /**
     * A 200 {@code text/event-stream} reply; each element is written verbatim (so it should end
     * with a blank line, e.g. {@code "data: {...}\n\n"}) and flushed on its own.
     */
    public static Reply sse(List<String> rawEvents) {
        List<String> events = List.copyOf(rawEvents);
        return of(true, (exchange, reply) -> exchange.stream(events, reply.headers, reply.gate, false));
    }

    public static Reply sse(String... rawEvents) {
        return sse(List.of(rawEvents));
    }

    /** Streams the events like {@link #sse(List)}, then aborts the connection instead of ending the stream. */
    public static Reply sseThenDrop(List<String> rawEvents) {
        List<String> events = List.copyOf(rawEvents);
        return of(true, (exchange, reply) -> exchange.stream(events, reply.headers, reply.gate, true));
    }

    /**
     * Sends the status, headers and the start of a body ({@code partialBody}, chunked), then closes the TCP connection
     * instead of finishing it: a backend that dies mid-response.
     */
    public static Reply textThenDrop(int status, String contentType, String partialBody) {
        byte[] bytes = partialBody.getBytes(StandardCharsets.UTF_8);
        return of(false, (exchange, reply) -> exchange.sendThenDrop(status, contentType, bytes, reply.headers));
    }

    /** Closes the TCP connection without sending a single byte of response. */
    public static Reply dropConnection() {
        return of(false, (exchange, reply) -> exchange.drop());
    }

    /**
     * Accepts the request and answers nothing until {@link Hang#release()} is called or the
     * backend is closed (which aborts the connection). No thread is held while hanging.
     */
    public static Hang hang() {
        return new Hang(new Hold());
    }

    /** What the backend answers when nothing is scripted; useful with {@link #withHeader} or {@link #gatedBy}. */
    public static Reply defaultReply() {
        return of(true, (exchange, reply) -> exchange.defaultReply().inheriting(reply).perform(exchange));
    }

    /** A copy that also sends this header, e.g. {@code Retry-After} or {@code x-ratelimit-remaining-requests}. */
    public Reply withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new Reply(action, streams, more, gate);
    }

    /**
     * A copy whose events are paced by the gate. Only streaming replies can be gated; a gated
     * {@link #defaultReply()} ignores the gate when the request did not ask to stream.
     */
    public Reply gatedBy(StreamGate gate) {
        if (!streams) {
            throw new IllegalStateException("only sse and default replies can be gated");
        }
        return new Reply(action, true, headers, gate);
    }

    void perform(Exchange exchange) {
        action.perform(exchange, this);
    }

    /** This reply carrying the headers and gate of the reply that resolved to it. */
    Reply inheriting(Reply outer) {
        List<Header> merged = new ArrayList<>(headers);
        merged.addAll(outer.headers);
        return new Reply(action, streams, merged, outer.gate != null ? outer.gate : gate);
    }

    /** A reply that hangs until the test releases it; see {@link Reply#hang()}. */
    public static final class Hang extends Reply {

        private final Hold hold;

        private Hang(Hold hold) {
            super(hold::perform, false, List.of(), null);
            this.hold = hold;
        }

        /** Answers every request held now or later with the default reply. */
        public void release() {
            release(defaultReply());
        }

        /** Answers every request held now or later with {@code then}. */
        public void release(Reply then) {
            hold.released.complete(then);
        }

        /** Blocks until one more request is being held; fails after 10 seconds. */
        public void awaitHeld() {
            try {
                if (!hold.arrivals.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("no request was held within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for a held request", e);
            }
        }
    }

    private static final class Hold {
        final CompletableFuture<Reply> released = new CompletableFuture<>();
        final Semaphore arrivals = new Semaphore(0);

        void perform(Exchange exchange, Reply reply) {
            exchange.whenDone(released, then -> then.inheriting(reply).perform(exchange));
            arrivals.release();
        }
    }
}
