package io.aigateway.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One request being answered by the fake. Every write is asynchronous and every wait (a hang, a
 * gate) is a continuation on the fake's thread pool, so no thread is parked on behalf of a test.
 * Completes exactly once: by finishing the response, by dropping the connection, or by
 * {@link #abort()} when the backend closes.
 */
final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Executor executor;
    private final Supplier<Reply> defaultReply;
    private final Consumer<Exchange> onDone;
    private final AtomicBoolean done = new AtomicBoolean();

    Exchange(Request request, Response response, Callback callback, Executor executor,
             Supplier<Reply> defaultReply, Consumer<Exchange> onDone) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.executor = executor;
        this.defaultReply = defaultReply;
        this.onDone = onDone;
    }

    Reply defaultReply() {
        return defaultReply.get();
    }

    void send(int status, String contentType, byte[] body, List<Reply.Header> headers) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        addHeaders(headers);
        response.write(true, ByteBuffer.wrap(body), Callback.from(this::succeed, this::fail));
    }

    void sendThenDrop(int status, String contentType, byte[] partialBody, List<Reply.Header> headers) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        addHeaders(headers);
        response.write(false, ByteBuffer.wrap(partialBody), Callback.from(this::drop, this::fail));
    }

    void stream(List<String> events, List<Reply.Header> headers, StreamGate gate, boolean dropAtEnd) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        addHeaders(headers);
        writeEvent(events, 0, gate, dropAtEnd);
    }

    private void writeEvent(List<String> events, int i, StreamGate gate, boolean dropAtEnd) {
        if (done.get()) {
            return;
        }
        if (i == events.size()) {
            if (dropAtEnd) {
                drop();
            } else {
                response.write(true, BufferUtil.EMPTY_BUFFER, Callback.from(this::succeed, this::fail));
            }
            return;
        }
        ByteBuffer event = ByteBuffer.wrap(events.get(i).getBytes(StandardCharsets.UTF_8));
        response.write(false, event, Callback.from(() -> {
            boolean last = i == events.size() - 1;
            if (gate == null) {
                writeEvent(events, i + 1, null, dropAtEnd);
                return;
            }
            gate.markSent(i);
            if (last) {
                writeEvent(events, i + 1, gate, dropAtEnd);
            } else {
                whenDone(gate.releaseOf(i), ignored -> writeEvent(events, i + 1, gate, dropAtEnd));
            }
        }, this::fail));
    }

    /** Runs {@code then} on the fake's pool once {@code future} completes, unless this exchange is over by then. */
    <T> void whenDone(CompletableFuture<T> future, Consumer<T> then) {
        future.thenAcceptAsync(value -> {
            if (!done.get()) {
                then.accept(value);
            }
        }, executor);
    }

    /** Closes the TCP connection under the response, whatever has been sent so far. */
    void drop() {
        if (done.compareAndSet(false, true)) {
            onDone.accept(this);
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            // Jetty wants the callback completed; the endpoint is gone, so nothing more reaches the client.
            callback.failed(new EofException("connection dropped by fake backend"));
        }
    }

    /** Ends a hung or gated exchange because the backend is closing. */
    void abort() {
        drop();
    }

    @Override
    public String toString() {
        return request.getMethod() + " " + request.getHttpURI().getPathQuery();
    }

    private void addHeaders(List<Reply.Header> headers) {
        for (Reply.Header header : headers) {
            response.getHeaders().add(header.name(), header.value());
        }
    }

    private void succeed() {
        if (done.compareAndSet(false, true)) {
            onDone.accept(this);
            callback.succeeded();
        }
    }

    private void fail(Throwable failure) {
        if (done.compareAndSet(false, true)) {
            onDone.accept(this);
            callback.failed(failure);
        }
    }
}
