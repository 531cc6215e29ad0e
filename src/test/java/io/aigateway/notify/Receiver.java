package io.aigateway.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A notification receiver for tests: a JDK HTTP server on an ephemeral port that records every request and answers
 * the statuses it was told to (then 200).
 */
final class Receiver implements AutoCloseable {

    /** One request as it arrived. Header names are lower case. */
    record Received(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> attemptedPaths = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Receiver(HttpServer server) {
        this.server = server;
    }

    static Receiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Receiver receiver = new Receiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers these statuses to the next requests, in order, then 200 again. */
    Receiver answer(Integer... next) {
        statuses.addAll(List.of(next));
        return this;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every request, whatever it was answered. */
    int attempts() {
        return attempts.get();
    }

    /** The path of every request, in order of arrival, whatever it was answered. */
    List<String> attemptedPaths() {
        return List.copyOf(attemptedPaths);
    }

    /** The next request that was answered 2xx, waiting up to 10 s for it. */
    Received take() {
        try {
            Received next = received.poll(10, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError("nothing received within 10 s");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether a further accepted request arrives within the wait. */
    Received poll(long millis) {
        try {
            return received.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        attempts.incrementAndGet();
        attemptedPaths.add(exchange.getRequestURI().getRawPath());
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Integer scripted = statuses.poll();
        int status = scripted == null ? 200 : scripted;
        if (status / 100 == 2) {
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()), (a, b) -> a));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
                    body));
        }
        byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
