package io.aigateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP server on 127.0.0.1 that stands in for an OpenAI or Azure OpenAI backend. It
 * records every request, answers like the real API when nothing is scripted (see
 * {@link Reply#defaultReply()}), and can be scripted with {@link Reply replies} that fail, hang,
 * drop the connection or stream at the pace the test sets. Every response carries an
 * {@code x-fake-backend: <name>} header.
 *
 * <pre>{@code
 * try (FakeBackend azure = FakeBackend.start("azure-east")) {
 *     azure.enqueue(Reply.error(429, "rate_limit_exceeded", "rate_limit_exceeded", "slow down")
 *             .withHeader("Retry-After", "1"));
 *     // point the gateway at azure.url(), send a request, then:
 *     RecordedRequest seen = azure.takeRequest();
 * }
 * }</pre>
 */
public final class FakeBackend implements AutoCloseable {

    /** The response header naming the backend that answered. */
    public static final String BACKEND_HEADER = "x-fake-backend";

    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final long TAKE_TIMEOUT_SECONDS = 10;

    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private final DefaultApi api;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> arrivals = new LinkedBlockingQueue<>();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final String scheme;
    private volatile Reply standing;
    private volatile boolean closed;

    private FakeBackend(String name) {
        this(name, null, null);
    }

    /** Over HTTPS with the key and certificate chain of {@code keyStore} when it is given. */
    private FakeBackend(String name, KeyStore keyStore, String password) {
        this.name = name;
        this.api = new DefaultApi(name);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("fake-" + name);
        threads.setDaemon(true);
        this.server = new Server(threads);
        if (keyStore == null) {
            this.connector = new ServerConnector(server, 1, 1);
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(keyStore);
            tls.setKeyStorePassword(password);
            this.connector = new ServerConnector(server, 1, 1, tls);
        }
        this.scheme = keyStore == null ? "http" : "https";
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // A hung request must stay hung until the test (or the gateway's own timeout) ends it.
        connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
        server.addConnector(connector);
        server.setHandler(new Recorder());
        server.setStopTimeout(0);
    }

    /** Starts a fake backend on an ephemeral port; {@code name} appears in its replies. */
    public static FakeBackend start(String name) {
        FakeBackend backend = new FakeBackend(name);
        try {
            backend.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start fake backend " + name, e);
        }
        return backend;
    }

    /**
     * Starts a fake backend that speaks HTTPS on 127.0.0.1 with the private key and certificate chain in
     * {@code keyStore} (its one key entry, protected by {@code password}); {@link #url()} is then {@code https}.
     */
    public static FakeBackend startTls(String name, KeyStore keyStore, String password) {
        FakeBackend backend = new FakeBackend(name, keyStore, password);
        try {
            backend.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start fake backend " + name, e);
        }
        return backend;
    }

    /**
     * A URL on which nothing listens, so connecting is refused. The port was free a moment ago;
     * another process could take it, which is unlikely enough for tests.
     */
    public static URI refusedUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} ({@code https} when started with {@link #startTls}), without a trailing slash. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    // --- scripting

    /** Answers the next requests with these replies, in order, before falling back to the standing reply. */
    public FakeBackend enqueue(Reply... replies) {
        Collections.addAll(script, replies);
        return this;
    }

    /** Answers every request not covered by {@link #enqueue} with this reply. */
    public FakeBackend always(Reply reply) {
        standing = reply;
        return this;
    }

    /** Forgets enqueued and standing replies: the backend answers with its defaults again. */
    public FakeBackend reset() {
        script.clear();
        standing = null;
        return this;
    }

    /** The model ids listed by {@code GET …/models}. */
    public FakeBackend models(String... ids) {
        api.models(List.of(ids));
        return this;
    }

    // --- recording

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** The oldest request not taken yet, waiting up to 10 seconds for one to arrive. */
    public RecordedRequest takeRequest() {
        try {
            RecordedRequest request = arrivals.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("no request reached fake backend " + name
                        + " within " + TAKE_TIMEOUT_SECONDS + " s");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a request to " + name, e);
        }
    }

    /** Forgets the requests received so far (for both {@link #requests()} and {@link #takeRequest()}). */
    public void clearRequests() {
        requests.clear();
        arrivals.clear();
    }

    /** Stops the server, first cutting the connection of every hung or gated request. */
    @Override
    public void close() {
        closed = true;
        for (Exchange exchange : new ArrayList<>(inFlight)) {
            exchange.abort();
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop fake backend " + name, e);
        }
    }

    @Override
    public String toString() {
        return "FakeBackend[" + name + " at " + url() + "]";
    }

    private Reply nextReply() {
        Reply scripted = script.poll();
        if (scripted != null) {
            return scripted;
        }
        Reply always = standing;
        return always != null ? always : Reply.defaultReply();
    }

    private static RecordedRequest recordOf(Request request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(field.getValue());
        }
        headers.replaceAll((k, values) -> List.copyOf(values));
        return new RecordedRequest(request.getMethod(), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), Collections.unmodifiableMap(headers), body);
    }

    /** Reads the body, records the request, then hands it to the next reply. Never blocks. */
    private final class Recorder extends Handler.Abstract {

        Recorder() {
            super(Invocable.InvocationType.NON_BLOCKING);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES, new Promise.Invocable.NonBlocking<>() {
                @Override
                public void succeeded(byte[] body) {
                    RecordedRequest recorded = recordOf(request, body);
                    requests.add(recorded);
                    arrivals.add(recorded);
                    respond(new Exchange(request, response, callback, server.getThreadPool(),
                            () -> api.replyTo(recorded), inFlight::remove), response);
                }

                @Override
                public void failed(Throwable failure) {
                    callback.failed(failure);
                }
            });
            return true;
        }

        private void respond(Exchange exchange, Response response) {
            inFlight.add(exchange);
            if (closed) {
                exchange.abort();
                return;
            }
            response.getHeaders().put(BACKEND_HEADER, name);
            try {
                nextReply().perform(exchange);
            } catch (RuntimeException e) {
                // A bug in the fake itself: make it visible rather than leave the client waiting.
                System.err.println("fake backend " + name + " failed to answer " + exchange);
                e.printStackTrace();
                exchange.abort();
            }
        }
    }
}
