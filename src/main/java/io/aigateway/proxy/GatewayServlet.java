package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.auth.ApiKeyFilter;
import io.aigateway.config.TimeoutsConfig;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.FailureClassifier;
import io.aigateway.routing.HealthTracker;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.GatewayContextListener;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway's proxy: Jetty's {@link AsyncMiddleManServlet}, which relays responses without blocking, with the
 * request side replaced. The body is read first (bounded, asynchronously) because the model in it decides the
 * target; the upstream request is then built for the chosen deployment's flavor and sent with the rewritten body.
 *
 * <p>A failed attempt (connection error, timeout, retryable status) is retried on another deployment as long as
 * nothing reached the client. Response headers are committed only when the first content arrives, so until then a
 * failover is invisible. After that a failure ends an event stream with an SSE error event.
 */
public class GatewayServlet extends AsyncMiddleManServlet {
    private static final long serialVersionUID = 1L;

    private static final String EXCHANGE_ATTRIBUTE = ProxyExchange.class.getName();
    private static final String WRITER_ATTRIBUTE = ClientWriter.class.getName();

    /** Client headers that never reach a backend: credentials, and what the gateway decides for itself. */
    private static final Set<String> DROPPED_REQUEST_HEADERS = Set.of(
        "authorization", "api-key", "x-api-key", "cookie", "host", "content-length", "expect", "accept-encoding",
        "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
        "openai-organization", "openai-project");

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("set-cookie", "set-cookie2", "openai-organization", "openai-project");

    private transient Gateway gateway;
    private transient ResponseAffinity affinity;

    @Override
    public void init() throws ServletException {
        gateway = GatewayContextListener.gateway(getServletContext());
        affinity = new ResponseAffinity(ResponseAffinity.DEFAULT_CAPACITY);
        super.init();
    }

    /**
     * The upstream client, owned by this servlet whatever the container: its own thread pool (Tomcat has no Jetty
     * executor to share), no redirects followed, no cookies kept, no content decoding (bodies pass through as sent).
     */
    @Override
    protected HttpClient createHttpClient() throws ServletException {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        // Certificates and host names are verified; SslContextFactory.Client does both by default.
        connector.setSslContextFactory(new SslContextFactory.Client());
        // A backstop only: each backend's own connect timeout is enforced per request.
        connector.setConnectTimeout(Duration.ofSeconds(60));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        QueuedThreadPool threads = new QueuedThreadPool(intParameter("maxThreads", 200), 4);
        threads.setName("aigateway-upstream");
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("aigateway-upstream-scheduler", true));
        client.setMaxConnectionsPerDestination(intParameter("maxConnections", 4096));
        client.setIdleTimeout(intParameter("idleTimeout", 60_000));
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception x) {
            throw new ServletException(x);
        }
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        return client;
    }

    private int intParameter(String name, int defaultValue) {
        String value = getServletConfig().getInitParameter(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Inbound.Parsed parsed = Inbound.parse(request.getMethod(), path);
        if (parsed.error() != null) {
            ErrorResponder.send(response, parsed.error());
            return;
        }
        long limit = gateway.config().server().maxRequestBytes();
        long contentLength = request.getContentLengthLong();
        if (contentLength > limit) {
            // Refused before reading a byte; closing the connection spares reading the rest.
            response.setHeader("Connection", "close");
            ErrorResponder.send(response, ApiErrors.bodyTooLarge(limit));
            return;
        }
        ProxyExchange exchange = new ProxyExchange(request, response, parsed.inbound(), ApiKeyFilter.tenant(request),
            gateway.router(), gateway.retryPolicy());
        request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the upstream timeouts of each backend bound the request instead
        if (!hasContent(request)) {
            onBody(exchange, new byte[0]);
            return;
        }
        request.getInputStream().setReadListener(new BodyReader(request.getInputStream(), contentLength, limit, new BodyReader.Callback() {
            @Override
            public void onBody(byte[] body) {
                GatewayServlet.this.onBody(exchange, body);
            }

            @Override
            public void onTooLarge() {
                response.setHeader("Connection", "close");
                finish(exchange, ApiErrors.bodyTooLarge(limit));
            }

            @Override
            public void onError(Throwable failure) {
                _log.debug("Client request body failed", failure);
                exchange.clientGone();
                complete(exchange);
            }
        }));
    }

    private void onBody(ProxyExchange exchange, byte[] body) {
        ApiError error = exchange.resolve(body, affinity);
        if (error != null)
            finish(exchange, error);
        else
            attempt(exchange);
    }

    /** Sends the request to the next deployment, or ends the exchange when none is left. */
    private void attempt(ProxyExchange exchange) {
        Deployment deployment = exchange.next();
        if (deployment == null) {
            HeldAnswer held = exchange.heldAnswer();
            if (held != null)
                relayHeld(exchange, held);
            else
                finish(exchange, exchange.exhaustedError());
            return;
        }
        UpstreamFlavor flavor = Flavors.of(deployment.backend().flavor());
        HttpServletRequest request = exchange.request();
        Request upstream = newProxyRequest(request, flavor.url(deployment, exchange.inbound(), exchange.upstreamQuery()));
        copyRequestHeaders(request, upstream);
        upstream.headers(headers -> {
            String key = deployment.backend().keys().next();
            if (key != null)
                flavor.authenticate(headers, key);
            deployment.backend().config().headers().forEach(headers::put);
        });
        byte[] body = exchange.upstreamBody(deployment);
        if (body != null)
            upstream.body(new BytesRequestContent(request.getContentType(), body));
        TimeoutsConfig timeouts = deployment.backend().config().timeouts();
        upstream.idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        AttemptListener listener = new AttemptListener(exchange, deployment, upstream, timeouts);
        upstream.onRequestBegin(r -> listener.connected());
        // Not sendProxyRequest(): it logs every client header, keys included, at DEBUG.
        upstream.send(listener);
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        super.copyRequestHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(headers -> DROPPED_REQUEST_HEADERS.forEach(headers::remove));
    }

    /** No {@code Via} and no {@code Forwarded}: a model vendor has no business with the client's address. */
    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    }

    /**
     * The length is the container's to set (the relayed framing may differ); cookies and the backend account's
     * organization and project are the backend's business, not the tenant's.
     */
    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse, HttpField field) {
        if (field.getHeader() == HttpHeader.CONTENT_LENGTH || DROPPED_RESPONSE_HEADERS.contains(field.getLowerCaseName()))
            return null;
        return field;
    }

    @Override
    protected ContentTransformer newServerResponseContentTransformer(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
        ProxyExchange exchange = exchange(clientRequest);
        if (exchange.inbound().operation() == Operation.RESPONSES && serverResponse.getStatus() < 300) {
            String deploymentId = exchange.current().id();
            return new ResponseIdTap(isEventStream(serverResponse.getHeaders().get(HttpHeader.CONTENT_TYPE)),
                id -> affinity.remember(id, deploymentId));
        }
        return ContentTransformer.IDENTITY;
    }

    @Override
    protected ProxyWriter newProxyWriteListener(HttpServletRequest clientRequest, Response proxyResponse) {
        ClientWriter writer = new ClientWriter(exchange(clientRequest), proxyResponse);
        clientRequest.setAttribute(WRITER_ATTRIBUTE, writer);
        return writer;
    }

    /** Flushes every chunk: without it the container would gather a whole event stream before sending it. */
    @Override
    protected void writeProxyResponseContent(ServletOutputStream output, ByteBuffer content) throws IOException {
        super.writeProxyResponseContent(output, content);
        if (output.isReady())
            output.flush();
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse, Throwable failure) {
        if (proxyResponse.isCommitted()) {
            super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
            return;
        }
        ProxyExchange exchange = exchange(clientRequest);
        finish(exchange, ProxyExchange.isTimeout(failure) ? ApiErrors.backendTimeout() : ApiErrors.backendUnreachable());
    }

    /** Gives the client a reply that was held back for a retry, as the backend sent it. */
    private void relayHeld(ProxyExchange exchange, HeldAnswer held) {
        HttpServletResponse response = exchange.response();
        try {
            response.reset();
            response.setStatus(held.status());
            onServerResponseHeaders(exchange.request(), response, held.response());
            response.setContentLength(held.body().length);
            response.getOutputStream().write(held.body());
        } catch (IOException | RuntimeException x) {
            _log.debug("Could not relay the held reply", x);
        }
        complete(exchange);
    }

    /** Answers the gateway's own error, if the client can still get one, and ends the exchange. */
    private void finish(ProxyExchange exchange, ApiError error) {
        try {
            if (!exchange.isClientGone())
                ErrorResponder.send(exchange.response(), error);
        } catch (IOException | RuntimeException x) {
            _log.debug("Could not send error {}", error.code(), x);
        }
        complete(exchange);
    }

    private static void complete(ProxyExchange exchange) {
        HttpServletRequest request = exchange.request();
        if (request.isAsyncStarted())
            request.getAsyncContext().complete();
    }

    private static ProxyExchange exchange(HttpServletRequest request) {
        return (ProxyExchange)request.getAttribute(EXCHANGE_ATTRIBUTE);
    }

    static boolean isEventStream(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /** The writer to the client; remembers when the client went away so that nothing more is written to it. */
    private final class ClientWriter extends ProxyWriter {
        private final ProxyExchange exchange;

        ClientWriter(ProxyExchange exchange, Response serverResponse) {
            super(exchange.request(), serverResponse);
            this.exchange = exchange;
        }

        @Override
        public void onError(Throwable failure) {
            exchange.clientGone();
            super.onError(failure);
        }

        @Override
        protected void onCompleteFailure(Throwable failure) {
            exchange.clientGone();
            super.onCompleteFailure(failure);
        }
    }

    /**
     * Listens to one attempt. A reply that should be retried elsewhere is held instead of relayed; a failure before
     * any content reached the client leads to the next attempt; anything else is relayed by Jetty's listener.
     */
    private final class AttemptListener extends ProxyResponseListener {
        private final ProxyExchange exchange;
        private final Deployment deployment;
        private final HealthTracker health;
        private final Scheduler.Task connectTimer;
        private final Scheduler.Task firstByteTimer;
        private volatile boolean connected;
        private HeldAnswer held;
        private boolean relaying;

        AttemptListener(ProxyExchange exchange, Deployment deployment, Request upstream, TimeoutsConfig timeouts) {
            super(exchange.request(), exchange.response());
            this.exchange = exchange;
            this.deployment = deployment;
            this.health = exchange.router().health();
            Scheduler scheduler = getHttpClient().getScheduler();
            this.connectTimer = scheduler.schedule(() -> {
                if (!connected)
                    upstream.abort(new TimeoutException("No connection to " + deployment.backend().name() + " within " + timeouts.connect()));
            }, timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            this.firstByteTimer = scheduler.schedule(() -> upstream.abort(
                new TimeoutException("No response from " + deployment.backend().name() + " within " + timeouts.firstByte())),
                timeouts.firstByte().toMillis(), TimeUnit.MILLISECONDS);
        }

        void connected() {
            connected = true;
            connectTimer.cancel();
        }

        @Override
        public void onBegin(Response serverResponse) {
            connected();
            firstByteTimer.cancel();
            int status = serverResponse.getStatus();
            FailureClass outcome = FailureClassifier.ofStatus(status);
            if (outcome.unhealthy()) {
                _log.warn("{} {} on {} answered {}", exchange.request().getMethod(), exchange.inbound().operation(), deployment.id(), status);
                health.recordFailure(deployment, outcome);
            } else {
                health.recordSuccess(deployment);
            }
            if (exchange.holdForRetry(status, outcome)) {
                held = new HeldAnswer(serverResponse);
                return;
            }
            super.onBegin(serverResponse);
        }

        @Override
        public void onHeaders(Response serverResponse) {
            if (held == null)
                super.onHeaders(serverResponse);
        }

        @Override
        public void onContent(Response serverResponse, Content.Chunk chunk, Runnable demander) {
            if (held != null) {
                if (held.append(chunk.getByteBuffer()))
                    demander.run();
                else
                    serverResponse.abort(new IOException("Held reply over " + HeldAnswer.MAX_BODY + " bytes"));
                return;
            }
            relaying = true;
            super.onContent(serverResponse, chunk, demander);
        }

        @Override
        public void onSuccess(Response serverResponse) {
            if (held == null)
                super.onSuccess(serverResponse);
        }

        @Override
        public void onComplete(Result result) {
            connectTimer.cancel();
            firstByteTimer.cancel();
            if (held != null) {
                if (held.truncated())
                    exchange.failed(result.getFailure());
                else
                    exchange.held(held);
                attempt(exchange);
                return;
            }
            if (result.isFailed()) {
                Throwable failure = result.getFailure();
                FailureClass outcome = FailureClassifier.ofException(failure, connected);
                if (!exchange.isClientGone())
                    health.recordFailure(deployment, outcome);
                if (!exchange.isClientGone())
                    _log.warn("{} {} on {} failed ({}): {}", exchange.request().getMethod(), exchange.inbound().operation(),
                        deployment.id(), outcome, String.valueOf(failure));
                if (!relaying && exchange.mayRetry(outcome)) {
                    exchange.response().reset();
                    exchange.failed(failure);
                    attempt(exchange);
                    return;
                }
                if (relaying && !exchange.isClientGone() && isEventStream(exchange.response().getContentType())) {
                    endStreamWithError();
                    return;
                }
            } else if (exchange.inbound().operation() == Operation.RESPONSE_ITEM && "DELETE".equals(exchange.request().getMethod())
                && result.getResponse().getStatus() < 300) {
                affinity.forget(exchange.inbound().responseId());
            }
            super.onComplete(result);
        }

        /** A stream broke after it started: tell the client in the stream's own terms, then end it. */
        private void endStreamWithError() {
            ClientWriter clientWriter = (ClientWriter)exchange.request().getAttribute(WRITER_ATTRIBUTE);
            ByteBuffer event = ByteBuffer.wrap(ApiErrors.backendStreamFailed().toSseEvent().getBytes(StandardCharsets.UTF_8));
            clientWriter.offer(event, Callback.from(() -> complete(exchange), x -> complete(exchange)));
            clientWriter.iterate();
        }
    }
}
