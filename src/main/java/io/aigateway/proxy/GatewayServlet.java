package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.auth.ApiKeyFilter;
import io.aigateway.config.RequestLogConfig;
import io.aigateway.config.TimeoutsConfig;
import io.aigateway.log.RequestRecord;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.FailureClassifier;
import io.aigateway.config.Durations;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.routing.OutcomeRecorder;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.routing.probe.HealthChecker;
import io.aigateway.routing.probe.ProbeListener;
import io.aigateway.routing.UpstreamError;
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
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
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
    private static final String OUTCOMES_ATTRIBUTE = OutcomeRecorder.class.getName();

    private transient Gateway gateway;
    private transient ResponseAffinity affinity;
    private transient HealthChecker healthChecker;
    private transient io.aigateway.limits.Limits limits;

    @Override
    public void init() throws ServletException {
        gateway = GatewayContextListener.gateway(getServletContext());
        affinity = new ResponseAffinity(ResponseAffinity.DEFAULT_CAPACITY);
        limits = (io.aigateway.limits.Limits)getServletContext().getAttribute(io.aigateway.limits.Limits.ATTRIBUTE);
        super.init();
        if (gateway.health() instanceof HealthRegistry health) {
            healthChecker = new HealthChecker(gateway.registry(), getHttpClient(), getHttpClient().getScheduler(), new ProbeListener() {
                @Override
                public void onProbeResult(Deployment deployment, boolean healthy, String reason) {
                }

                @Override
                public void onTransition(Deployment deployment, boolean healthy) {
                    if (healthy)
                        health.health(deployment).markProbeHealthy();
                    else
                        health.health(deployment).markProbeUnhealthy();
                }
            });
            gateway.addReloadListener(healthChecker::update);
            getServletContext().setAttribute(HealthChecker.class.getName(), healthChecker);
            healthChecker.start();
        }
    }

    @Override
    public void destroy() {
        if (healthChecker != null) {
            healthChecker.stop();
            getServletContext().removeAttribute(HealthChecker.class.getName());
        }
        super.destroy();
    }

    /** The upstream client, owned by this servlet whatever the container: see {@link UpstreamClients}. */
    @Override
    protected HttpClient createHttpClient() throws ServletException {
        return UpstreamClients.create(getServletConfig(), () -> gateway.config().backends());
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
        Gateway.Snapshot snapshot = gateway.snapshot();
        if (!gateway.inFlight().tryEnter(snapshot.config().server().maxInFlight())) {
            // Refused before reading the body: closing the connection spares reading it.
            if (hasContent(request))
                response.setHeader("Connection", "close");
            ErrorResponder.send(response, ApiErrors.overloaded());
            return;
        }
        ProxyExchange exchange;
        try {
            exchange = new ProxyExchange(request, response, parsed.inbound(), ApiKeyFilter.key(request),
                snapshot.router(), snapshot.config().routing(), gateway.retryBudget(), gateway.clock());
            if (limits != null)
                exchange.limits(new ExchangeLimits(limits, snapshot.config(), gateway.clock()));
            RequestLogConfig requestLog = snapshot.config().requestLog();
            if (requestLog.capturesBodies(exchange.tenant().config()))
                exchange.capture(new BodyCapture(requestLog.maxBodyBytes()));
            request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
            request.setAttribute(OUTCOMES_ATTRIBUTE, snapshot.outcomes());
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // routing.request_timeout and each backend's timeouts bound the request instead
            async.addListener(new ExchangeEnd(exchange, this::ended));
        } catch (RuntimeException x) {
            // Nothing will end this exchange: give its place back.
            gateway.inFlight().leave();
            throw x;
        }
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
                if (ProxyExchange.isTimeout(failure)) {
                    // The client stopped sending before its body was complete (a Content-Length that lies, a stall).
                    response.setHeader("Connection", "close");
                    finish(exchange, ApiErrors.requestTimeout());
                    return;
                }
                exchange.clientGone();
                complete(exchange);
            }
        }));
    }

    /** The exchange ended through its async listener: its record goes to the listeners. */
    private void ended(ProxyExchange exchange) {
        gateway.publish(close(exchange));
    }

    /**
     * The exchange is over (called once, by whoever ended it): its deadline is moot and its place under
     * {@code server.max_in_flight} is free; returns its record. Reads the request, so call it before completing.
     */
    private RequestRecord close(ProxyExchange exchange) {
        gateway.inFlight().leave();
        Scheduler.Task deadline = exchange.deadline();
        if (deadline != null)
            deadline.cancel();
        return exchange.record();
    }

    private void onBody(ProxyExchange exchange, byte[] body) {
        try {
            route(exchange, body);
        } catch (RuntimeException x) {
            // Nothing may leave an exchange open: its async request has no timeout of its own.
            _log.warn("Failed to route {} {}", exchange.request().getMethod(), exchange.inbound().operation(), x);
            finish(exchange, ApiErrors.internal());
        }
    }

    private void route(ProxyExchange exchange, byte[] body) {
        ApiError error = exchange.resolve(body, affinity);
        if (error != null) {
            finish(exchange, error);
            return;
        }
        ExchangeLimits exchangeLimits = exchange.limits();
        if (exchangeLimits == null) {
            start(exchange);
            return;
        }
        exchangeLimits.admit(exchange.tenant().config(), exchange.caller().key(), exchange.model(), body, exchange.jsonBody())
            .whenComplete((refusal, failure) -> {
                if (failure != null) {
                    _log.warn("Admission failed", failure);
                    finish(exchange, ApiErrors.internal());
                } else if (refusal != null) {
                    finish(exchange, refusal);
                } else {
                    try {
                        start(exchange);
                    } catch (RuntimeException x) {
                        _log.warn("Failed to route {} {}", exchange.request().getMethod(), exchange.inbound().operation(), x);
                        finish(exchange, ApiErrors.internal());
                    }
                }
            });
    }

    /** Admitted: the deadline starts and the first deployment is tried. */
    private void start(ProxyExchange exchange) {
        exchange.deadline(getHttpClient().getScheduler().schedule(() -> onDeadline(exchange),
            exchange.millisToDeadline(), TimeUnit.MILLISECONDS));
        send(exchange, exchange.first());
    }

    /** {@code routing.request_timeout}: no response has started in time, whichever attempt is running. */
    private void onDeadline(ProxyExchange exchange) {
        if (exchange.isFinished() || exchange.response().isCommitted())
            return;
        exchange.deadlineExpired();
        Request upstream = exchange.upstream();
        if (upstream != null)
            upstream.abort(new TimeoutException("routing.request_timeout reached"));
    }

    /** Sends the request to the deployment, or ends the exchange when there is none. */
    private void send(ProxyExchange exchange, Deployment deployment) {
        if (deployment == null) {
            HeldAnswer held = exchange.heldAnswer();
            if (held != null && !exchange.isDeadlineExpired())
                relayHeld(exchange, held);
            else
                finish(exchange, exchange.exhaustedError());
            return;
        }
        ExchangeLimits exchangeLimits = exchange.limits();
        if (exchangeLimits == null || !deployment.config().limits().isLimited()) {
            sendNow(exchange, deployment);
            return;
        }
        exchangeLimits.reserveDeployment(deployment).whenComplete((admitted, failure) -> {
            try {
                if (failure == null && Boolean.TRUE.equals(admitted)) {
                    sendNow(exchange, deployment);
                    return;
                }
                // At its own limit (or its limit unknown): skipped like an unavailable deployment.
                exchange.skipFull(deployment);
                send(exchange, exchange.retry(ProxyExchange.Next.OTHER_DEPLOYMENT));
            } catch (RuntimeException x) {
                _log.warn("Failed to send {} {}", exchange.request().getMethod(), exchange.inbound().operation(), x);
                finish(exchange, ApiErrors.internal());
            }
        });
    }

    /** Sends the request to the deployment, its limits allowing. */
    private void sendNow(ProxyExchange exchange, Deployment deployment) {
        UpstreamFlavor flavor = Flavors.of(deployment.backend().flavor());
        HttpServletRequest request = exchange.request();
        Request upstream = newProxyRequest(request, flavor.url(deployment, exchange.inbound(), exchange.upstreamQuery()));
        copyRequestHeaders(request, upstream);
        int keyIndex = deployment.backend().keys().nextIndex();
        upstream.headers(headers -> {
            if (keyIndex >= 0)
                flavor.authenticate(headers, deployment.backend().keys().key(keyIndex));
            deployment.backend().config().headers().forEach(headers::put);
        });
        byte[] body = exchange.upstreamBody(deployment);
        if (body != null)
            upstream.body(new BytesRequestContent(request.getContentType(), body));
        TimeoutsConfig timeouts = deployment.backend().config().timeouts();
        upstream.idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        boolean upstreamStream = exchange.upstreamStream(deployment);
        DeploymentStats.Call call = gateway.stats().stats(deployment).begin(upstreamStream);
        AttemptListener listener = new AttemptListener(exchange, deployment, keyIndex, upstream, timeouts, upstreamStream, call);
        upstream.onRequestBegin(r -> listener.connected());
        exchange.upstream(upstream);
        // Not sendProxyRequest(): it logs every client header, keys included, at DEBUG.
        upstream.send(listener);
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        super.copyRequestHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(HeaderHygiene::removeClientOnlyHeaders);
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
        return HeaderHygiene.keepsResponseHeader(field) ? field : null;
    }

    @Override
    protected ContentTransformer newServerResponseContentTransformer(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
        return exchange(clientRequest).output();
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
        exchange.firstByteSent();
        exchange.statusSent(held.status());
        if (exchange.capture() != null)
            exchange.capture().heldReply(held.body());
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
        exchange.errorCode(error.code());
        exchange.firstByteSent();
        exchange.statusSent(error.status());
        try {
            if (!exchange.isClientGone())
                ErrorResponder.send(exchange.response(), error,
                    error.status() == 429 && exchange.limits() != null ? exchange.limits().headers() : java.util.Map.of());
        } catch (IOException | RuntimeException x) {
            _log.debug("Could not send error {}", error.code(), x);
        }
        complete(exchange);
    }

    /**
     * Completes the client's request and ends the exchange. The exchange is ended here too, not only by its
     * {@link ExchangeEnd} listener: after a failed write to the client, Jetty completes the request without calling
     * the listener. Its record is taken before completing: the container may recycle the request right after.
     * Ending twice is harmless: only the first call counts.
     */
    private void complete(ProxyExchange exchange) {
        RequestRecord record = exchange.finish() ? close(exchange) : null;
        HttpServletRequest request = exchange.request();
        try {
            if (request.isAsyncStarted())
                request.getAsyncContext().complete();
        } catch (IllegalStateException alreadyCompleted) {
            // Completed from another path (the upstream listener and a failed client write may race): nothing to do.
        }
        if (record != null)
            gateway.publish(record);
    }

    private static ProxyExchange exchange(HttpServletRequest request) {
        return (ProxyExchange)request.getAttribute(EXCHANGE_ATTRIBUTE);
    }

    static boolean isEventStream(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /**
     * The writer to the client. When a write fails (the client went away) it ends the exchange itself: Jetty's writer
     * fails only the chunk it was writing and drops the queued ones, including the last one whose callback would
     * complete the request, so an exchange whose upstream had already finished would otherwise never end.
     */
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
            // An idle IteratingCallback ignores failed(): abort and complete here so that nothing waits for it.
            abandon(failure);
        }

        @Override
        protected void onCompleteFailure(Throwable failure) {
            exchange.clientGone();
            super.onCompleteFailure(failure);
            abandon(failure);
        }

        private void abandon(Throwable failure) {
            Request upstream = exchange.upstream();
            if (upstream != null)
                upstream.abort(failure);
            complete(exchange);
        }
    }

    /**
     * Listens to one attempt. A reply that is not a success is held back (bounded), classified with its body, and
     * either relayed or replaced by another attempt; a failure before any content reached the client leads to the
     * next attempt; a success is relayed by Jetty's listener as it arrives.
     */
    private final class AttemptListener extends ProxyResponseListener {
        private final ProxyExchange exchange;
        private final LengthKeepingResponse response;
        private final Deployment deployment;
        private final int keyIndex;
        private final OutcomeRecorder outcomes;
        private final Scheduler.Task connectTimer;
        private final Scheduler.Task firstByteTimer;
        private final DeploymentStats.Call call;
        /** Non-stream replies start with their headers; streams with their first content, so that time is waited for. */
        private final boolean firstByteAtHeaders;
        private volatile boolean connected;
        private HeldAnswer held;
        private volatile boolean relaying;
        /** A 2xx whose content type is no API reply: aborted, to be failed over. */
        private volatile boolean notAnswer;

        AttemptListener(ProxyExchange exchange, Deployment deployment, int keyIndex, Request upstream, TimeoutsConfig timeouts,
                        boolean upstreamStream, DeploymentStats.Call call) {
            this(exchange, new LengthKeepingResponse(exchange.response()), deployment, keyIndex, upstream, timeouts,
                upstreamStream, call);
        }

        private AttemptListener(ProxyExchange exchange, LengthKeepingResponse response, Deployment deployment, int keyIndex,
                                Request upstream, TimeoutsConfig timeouts, boolean upstreamStream, DeploymentStats.Call call) {
            super(exchange.request(), response);
            this.response = response;
            this.exchange = exchange;
            this.deployment = deployment;
            this.keyIndex = keyIndex;
            this.call = call;
            this.firstByteAtHeaders = !(exchange.stream() && exchange.conversionFor(deployment) == ProxyExchange.Conversion.NONE);
            this.outcomes = (OutcomeRecorder)exchange.request().getAttribute(OUTCOMES_ATTRIBUTE);
            Scheduler scheduler = getHttpClient().getScheduler();
            this.connectTimer = scheduler.schedule(() -> {
                if (!connected)
                    upstream.abort(new TimeoutException("No connection to " + deployment.backend().name() + " within " + timeouts.connect()));
            }, timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            Duration firstByte = FirstByteTimeout.of(timeouts, upstreamStream, gateway.stats().stats(deployment));
            this.firstByteTimer = scheduler.schedule(() -> upstream.abort(
                new TimeoutException("No response from " + deployment.backend().name() + " within " + Durations.format(firstByte))),
                firstByte.toMillis(), TimeUnit.MILLISECONDS);
        }

        void connected() {
            connected = true;
            connectTimer.cancel();
        }

        @Override
        public void onBegin(Response serverResponse) {
            connected();
            if (serverResponse.getStatus() >= 300 || firstByteAtHeaders) {
                firstByteTimer.cancel();
                call.firstByte();
            }
            if (serverResponse.getStatus() >= 300) {
                held = new HeldAnswer(serverResponse);
                return;
            }
            super.onBegin(serverResponse);
        }

        @Override
        public void onHeaders(Response serverResponse) {
            if (held != null)
                return;
            String contentType = serverResponse.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (!ReplyContentType.fits(exchange.inbound().operation(), contentType)) {
                // Not an API answer whatever its status says: a broken reply, failed over while nothing is committed.
                notAnswer = true;
                serverResponse.abort(new IOException("Backend answered " + serverResponse.getStatus()
                    + " with Content-Type " + contentType + ", which is no API reply"));
                return;
            }
            outcomes.onReply(deployment, keyIndex, FailureClass.SUCCESS, serverResponse.getHeaders()::get);
            exchange.output().next(AttemptTransformers.of(exchange, deployment, serverResponse, affinity), this::onFirstOutput);
            super.onHeaders(serverResponse);
            if (exchange.limits() != null)
                exchange.limits().applyHeaders(exchange.response());
            switch (exchange.conversionFor(deployment)) {
                case JSON_TO_STREAM -> exchange.response().setContentType("text/event-stream;charset=utf-8");
                case STREAM_TO_JSON -> exchange.response().setContentType("application/json");
                case NONE -> {
                    // Relayed byte for byte: the backend's length holds, and with it the container sends the
                    // headers and the whole reply in one write instead of chunks and a terminating chunk.
                    long length = serverResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
                    if (length >= 0 && !isEventStream(contentType))
                        response.keepLength(length);
                }
            }
        }

        /** The first byte goes to the client: the response is committed, no more failover, no more deadline. */
        private void onFirstOutput() {
            relaying = true;
            exchange.firstByteSent();
            exchange.statusSent(exchange.response().getStatus());
            firstByteTimer.cancel();
            call.firstByte();
            if (exchange.deadline() != null)
                exchange.deadline().cancel();
        }

        @Override
        public void onContent(Response serverResponse, Content.Chunk chunk, Runnable demander) {
            if (notAnswer)
                return;
            if (held != null) {
                if (held.append(chunk.getByteBuffer()))
                    demander.run();
                else
                    serverResponse.abort(new IOException("Held reply over " + HeldAnswer.MAX_BODY + " bytes"));
                return;
            }
            super.onContent(serverResponse, chunk, demander);
        }

        @Override
        public void onSuccess(Response serverResponse) {
            if (held == null && !notAnswer)
                super.onSuccess(serverResponse);
        }

        @Override
        public void onComplete(Result result) {
            connectTimer.cancel();
            firstByteTimer.cancel();
            exchange.attemptEnded();
            if (held != null) {
                onHeldReply(result);
                return;
            }
            if (result.isFailed()) {
                onFailure(result);
                return;
            }
            call.succeeded();
            outcomes.onSuccess(deployment);
            // The reply has passed the usage tap: settle now, before the client's next request can be admitted.
            if (exchange.limits() != null)
                exchange.limits().settle(exchange.model());
            if (exchange.inbound().operation() == Operation.RESPONSE_ITEM && "DELETE".equals(exchange.request().getMethod()))
                affinity.forget(exchange.inbound().responseId());
            super.onComplete(result);
        }

        private void onHeldReply(Result result) {
            int status = held.status();
            if (held.truncated() || (result.isFailed() && held.body().length == 0 && !exchange.isDeadlineExpired())) {
                // A reply too large to hold, or cut short: treat it as a broken connection.
                onFailure(result);
                return;
            }
            FailureClass outcome = FailureClassifier.ofReply(status, UpstreamError.parse(held.body()),
                exchange.inbound().operation() == Operation.RESPONSE_ITEM);
            outcomes.onReply(deployment, keyIndex, outcome, held.response().getHeaders()::get);
            if (outcome == FailureClass.CALLER_FAULT || outcome == FailureClass.UNKNOWN)
                call.succeeded();
            else
                call.failed();
            if (outcome != FailureClass.CALLER_FAULT || !exchange.isSearching())
                _log.warn("{} {} on {} answered {} ({})", exchange.request().getMethod(), exchange.inbound().operation(),
                    deployment.id(), status, outcome);
            if (outcome != FailureClass.CALLER_FAULT && outcome != FailureClass.UNKNOWN)
                exchange.failedWith(outcome);
            ProxyExchange.Next next = exchange.afterFailure(outcome);
            if (next == ProxyExchange.Next.NONE) {
                relayHeld(exchange, held);
                return;
            }
            exchange.held(held);
            send(exchange, exchange.retry(next));
        }

        private void onFailure(Result result) {
            Throwable failure = result.getFailure();
            FailureClass outcome = FailureClassifier.ofException(failure, connected);
            if (exchange.isClientGone()) {
                // Cancelled by the client: not the backend's failure.
                call.abandoned();
                outcomes.health().release(deployment);
                super.onComplete(result);
                return;
            }
            exchange.failedWith(outcome);
            if (exchange.isDeadlineExpired()) {
                call.abandoned();
                outcomes.health().release(deployment);
            } else {
                call.failed();
                outcomes.onFailure(deployment, outcome);
            }
            _log.warn("{} {} on {} failed ({}): {}", exchange.request().getMethod(), exchange.inbound().operation(),
                deployment.id(), outcome, String.valueOf(failure));
            ProxyExchange.Next next = relaying ? ProxyExchange.Next.NONE : exchange.afterFailure(outcome);
            if (next != ProxyExchange.Next.NONE) {
                exchange.response().reset();
                exchange.failed(failure);
                send(exchange, exchange.retry(next));
                return;
            }
            if (!relaying && !exchange.response().isCommitted()) {
                exchange.failed(failure);
                HeldAnswer earlier = exchange.heldAnswer();
                if (earlier != null && !exchange.isDeadlineExpired())
                    relayHeld(exchange, earlier);
                else
                    finish(exchange, exchange.exhaustedError());
                return;
            }
            if (isEventStream(exchange.response().getContentType())) {
                endStreamWithError();
                return;
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
