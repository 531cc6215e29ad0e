package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.ModelRoute;
import io.aigateway.registry.Tenant;
import io.aigateway.registry.TenantKey;
import io.aigateway.config.RoutingConfig;
import io.aigateway.log.RequestRecord;
import io.aigateway.proxy.stream.RequestStreamFlag;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.FailureClassifier;
import io.aigateway.routing.RetryBudget;
import io.aigateway.routing.Router;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client request on its way through the gateway: what it asks for, which deployments it may go to and has
 * tried, and what the failed attempts answered. Its decisions (what to try next, whether a reply is held back for a
 * retry, what error ends it) are made here; the servlet does the I/O. Attempts follow one another, never overlap,
 * so the fields need no locking.
 */
final class ProxyExchange {
    /** How a reply is converted so that the client gets the kind of response it asked for. */
    enum Conversion {
        NONE,
        /** The client asked for a stream of a deployment that only answers JSON: the JSON reply becomes a stream. */
        JSON_TO_STREAM,
        /** The client asked for JSON of a deployment that only streams: the stream is assembled into JSON. */
        STREAM_TO_JSON
    }

    /** The next step after an attempt that did not succeed. */
    enum Next {
        /** The same deployment again: with its next key, or a same-deployment retry of a transient failure. */
        SAME_DEPLOYMENT,
        /** Another deployment. */
        OTHER_DEPLOYMENT,
        /** No more attempts: the client gets the last reply or error. */
        NONE
    }

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Inbound inbound;
    private final TenantKey caller;
    private final Tenant tenant;
    private final Router router;
    private final RoutingConfig routing;
    private final RetryBudget budget;
    private final Clock clock;
    private final long deadlineMillis;
    private final java.time.Instant start;
    private final long startNanos = System.nanoTime();
    private volatile long firstByteNanos;
    private final List<FailureClass> failures = new ArrayList<>(1);
    private final String upstreamQuery;
    private final List<Deployment> tried = new ArrayList<>(2);
    private final ExchangeOutput output = new ExchangeOutput();

    private RoutableBody body;
    private byte[] rawBody;
    private String model;
    private ModelRoute route;
    /** For requests that follow a stored response back: the deployments to look in, in order. */
    private List<Deployment> searchOrder;
    private boolean searching;
    private Deployment current;
    private int attempts;
    private int sameDeploymentRetries;
    private boolean retryInFlight;
    private HeldAnswer held;
    private ApiError lastError;
    private volatile boolean deadlineExpired;
    private volatile boolean clientGone;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile org.eclipse.jetty.client.Request upstream;
    private volatile org.eclipse.jetty.util.thread.Scheduler.Task deadline;
    private volatile String errorCode;
    private volatile int statusSent;
    // Taken on arrival: the request object may be recycled by the time the record is built.
    private final String requestId = io.aigateway.log.RequestIds.next();
    private final String clientIp;
    private final String endpoint;
    private volatile ExchangeLimits limits;
    /** Set only when the tenant captures bodies: the others copy nothing. */
    private volatile BodyCapture capture;
    /** The deployment of the attempt before the last choice, for a choice that is undone. */
    private Deployment beforeChoice;

    ProxyExchange(HttpServletRequest request, HttpServletResponse response, Inbound inbound, TenantKey caller,
                  Router router, RoutingConfig routing, RetryBudget budget, Clock clock) {
        this.request = request;
        this.response = response;
        this.inbound = inbound;
        this.caller = caller;
        this.tenant = caller.tenant();
        this.router = router;
        this.routing = routing;
        this.budget = budget;
        this.clock = clock;
        this.deadlineMillis = clock.millis() + routing.requestTimeout().toMillis();
        this.start = clock.instant();
        this.upstreamQuery = withoutApiVersion(request.getQueryString());
        this.clientIp = request.getRemoteAddr();
        this.endpoint = request.getRequestURI();
        budget.requestStarted();
    }

    /**
     * Takes the body in and resolves where the request may go.
     *
     * @return the error to answer, or null when the request can be sent
     */
    ApiError resolve(byte[] bytes, ResponseAffinity affinity) {
        this.rawBody = bytes;
        if (capture != null)
            capture.request(bytes);
        if (!inbound.operation().routesByModel())
            return resolveStoredResponse(affinity);
        try {
            body = parseBody(bytes, request.getContentType());
        } catch (RoutableBody.InvalidBodyException x) {
            return x.error();
        }
        model = inbound.pathModel() != null ? inbound.pathModel() : body == null ? null : body.model();
        if (model == null || model.isEmpty())
            return ApiErrors.missingModel();
        route = router.registry().route(model);
        if (route == null)
            return ApiErrors.modelNotFound(model);
        if (!tenant.allows(model) || route.candidates().stream().noneMatch(this::inBackendGroups))
            return ApiErrors.modelNotAllowed(model);
        if (inbound.operation() == Operation.PASSTHROUGH && route.candidates().stream().noneMatch(this::supports))
            return ApiErrors.invalidField("model", "No OpenAI-flavor backend serves the model '" + model + "', which this endpoint needs.");
        return null;
    }

    private ApiError resolveStoredResponse(ResponseAffinity affinity) {
        List<Deployment> allowed = router.registry().deploymentsFor(tenant);
        String known = affinity.deploymentOf(inbound.responseId());
        List<Deployment> onePerBackend = new ArrayList<>();
        for (Deployment deployment : allowed) {
            if (deployment.id().equals(known)) {
                searchOrder = List.of(deployment);
                return null;
            }
            if (onePerBackend.stream().noneMatch(d -> d.backend() == deployment.backend()))
                onePerBackend.add(deployment);
        }
        // Not created through this instance (or forgotten): ask each backend the tenant may use, once.
        searchOrder = onePerBackend;
        searching = true;
        return null;
    }

    private static RoutableBody parseBody(byte[] bytes, String contentType) throws RoutableBody.InvalidBodyException {
        if (bytes.length == 0)
            return null;
        if (MultipartBody.isMultipart(contentType))
            return MultipartBody.parse(bytes, contentType);
        return JsonBody.parse(bytes);
    }

    /** The first deployment to try, or null when none is available. */
    Deployment first() {
        return choose();
    }

    /** The deployment for the retry decided by {@link #afterFailure}, or null when none is left. */
    Deployment retry(Next next) {
        if (next == Next.SAME_DEPLOYMENT) {
            attempts++;
            beforeChoice = current;
            return current;
        }
        return choose();
    }

    private Deployment choose() {
        Deployment chosen = route != null
            ? router.choose(route, this::eligible)
            : router.chooseInOrder(searchOrder, this::eligible);
        if (chosen != null) {
            tried.add(chosen);
            beforeChoice = current;
            current = chosen;
            attempts++;
            sameDeploymentRetries = 0;
        }
        return chosen;
    }

    private boolean eligible(Deployment deployment) {
        return !tried.contains(deployment) && supports(deployment) && fitsContext(deployment) && inBackendGroups(deployment);
    }

    /** {@code tenants[].backend_groups}: the tenant's traffic stays on its own backends. */
    private boolean inBackendGroups(Deployment deployment) {
        return tenant.config().mayUse(deployment.backend().config());
    }

    /** The limits of this exchange; set before it is routed. */
    void limits(ExchangeLimits limits) {
        this.limits = limits;
    }

    ExchangeLimits limits() {
        return limits;
    }

    /** Captures the bodies of this exchange for the request log; set before the body is read. */
    void capture(BodyCapture capture) {
        this.capture = capture;
    }

    /** The body capture, or null when the tenant does not capture. */
    BodyCapture capture() {
        return capture;
    }

    /** The chosen deployment is at its own limit: it is skipped like an unavailable one, and was no attempt. */
    void skipFull(Deployment deployment) {
        if (current == deployment) {
            attempts--;
            current = beforeChoice;
        }
    }

    /**
     * Whether the gateway asks this deployment for the usage chunk of a stream the client did not ask it for, and so
     * removes that chunk from what the client sees.
     */
    boolean injectsUsage(Deployment deployment) {
        return stream() && conversionFor(deployment) == Conversion.NONE && !includeUsage()
            && ExchangeLimits.injectsUsage(inbound.operation(), deployment);
    }

    private boolean supports(Deployment deployment) {
        return Flavors.of(deployment.backend().flavor()).supports(inbound.operation());
    }

    /** The conversion a deployment needs to give this client what it asked for. */
    Conversion conversionFor(Deployment deployment) {
        if (!(body instanceof JsonBody json) || inbound.operation() == Operation.EMBEDDINGS || inbound.operation() == Operation.PASSTHROUGH)
            return Conversion.NONE;
        if (json.stream() && !deployment.config().stream())
            return Conversion.JSON_TO_STREAM;
        if (!json.stream() && !deployment.config().nonStream())
            return Conversion.STREAM_TO_JSON;
        return Conversion.NONE;
    }

    /** Whether the request sent to this deployment asks for a stream. */
    boolean upstreamStream(Deployment deployment) {
        return switch (conversionFor(deployment)) {
            case NONE -> stream();
            case JSON_TO_STREAM -> false;
            case STREAM_TO_JSON -> true;
        };
    }

    /** Whether the client asked for the usage chunk of a stream. */
    boolean includeUsage() {
        return body instanceof JsonBody json && json.includeUsage();
    }

    /**
     * A deployment whose context window is declared smaller than the prompt's estimate is skipped, as long as some
     * other candidate might take it; otherwise the backend decides. The estimate is the body's size over four, an
     * upper bound for English text in JSON.
     */
    private boolean fitsContext(Deployment deployment) {
        Integer window = deployment.config().maxContextTokens();
        if (window == null || rawBody == null || estimatedPromptTokens() <= window)
            return true;
        List<Deployment> candidates = route != null ? route.candidates() : List.of();
        for (Deployment other : candidates) {
            Integer otherWindow = other.config().maxContextTokens();
            if (other != deployment && (otherWindow == null || otherWindow >= estimatedPromptTokens()))
                return false;
        }
        return true;
    }

    long estimatedPromptTokens() {
        return rawBody == null ? 0 : rawBody.length / 4;
    }

    private boolean hasAlternative() {
        List<Deployment> candidates = route != null ? route.candidates() : searchOrder;
        for (Deployment deployment : candidates) {
            if (eligible(deployment) && (searching ? !router.health().isDisabledByOperator(deployment) : router.health().isAvailable(deployment)))
                return true;
        }
        return false;
    }

    /**
     * What to do after an attempt on {@link #current()} failed with this outcome, before anything reached the
     * client: the next key of the same deployment for a refused key, a same-deployment retry for a transient failure
     * while {@code retries_per_backend} allows, else another deployment while {@code routing.max_attempts} and the
     * retry budget allow. A retry taken here holds a place in the retry budget until {@link #attemptEnded()}.
     */
    Next afterFailure(FailureClass outcome) {
        if (clientGone || finished.get() || deadlineExpired || response.isCommitted())
            return Next.NONE;
        Next next = decide(outcome);
        if (next != Next.NONE && !searching) {
            if (!budget.tryStartRetry())
                return Next.NONE;
            retryInFlight = true;
        }
        return next;
    }

    private Next decide(FailureClass outcome) {
        if (searching)
            return outcome == FailureClass.CALLER_FAULT && hasAlternative() ? Next.OTHER_DEPLOYMENT : Next.NONE;
        if (!outcome.retryable())
            return Next.NONE;
        if (outcome == FailureClass.CREDENTIAL && current.backend().keys().enabledCount() > 0
            && attempts < routing.maxAttempts() + current.backend().keys().size())
            return Next.SAME_DEPLOYMENT;
        if (attempts >= routing.maxAttempts())
            return Next.NONE;
        if (outcome.unhealthy() && sameDeploymentRetries < current.backend().config().retriesPerBackend()
            && router.health().isAvailable(current)) {
            sameDeploymentRetries++;
            return Next.SAME_DEPLOYMENT;
        }
        return hasAlternative() ? Next.OTHER_DEPLOYMENT : Next.NONE;
    }

    /** An attempt is over: a retry it was gives its place in the retry budget back. */
    void attemptEnded() {
        if (retryInFlight) {
            retryInFlight = false;
            budget.retryEnded();
        }
    }

    /**
     * The exchange is over, whichever way.
     *
     * @return true for the one call that ended it; false when it had already ended
     */
    boolean finish() {
        if (!finished.compareAndSet(false, true))
            return false;
        attemptEnded();
        budget.requestEnded();
        if (limits != null)
            limits.settle(model);
        return true;
    }

    /** An attempt failed with this class (kept for the request's record). */
    void failedWith(FailureClass outcome) {
        failures.add(outcome);
    }

    /** The first byte of the response went to the client. */
    void firstByteSent() {
        if (firstByteNanos == 0)
            firstByteNanos = System.nanoTime();
    }

    /** The timer of {@code routing.request_timeout}, cancelled when the exchange ends. */
    void deadline(org.eclipse.jetty.util.thread.Scheduler.Task task) {
        this.deadline = task;
    }

    org.eclipse.jetty.util.thread.Scheduler.Task deadline() {
        return deadline;
    }

    /** The gateway answered with its own error: its code goes into the record. */
    void errorCode(String code) {
        this.errorCode = code;
    }

    /** The status of the response as it was committed to the client. */
    void statusSent(int status) {
        this.statusSent = status;
    }

    /**
     * The status the client got. Read from the response while it is ours; once Jetty has completed and recycled it
     * by itself (a write to a client that went away failed), the status recorded when it was committed.
     */
    private int status() {
        try {
            return response.getStatus();
        } catch (IllegalStateException recycled) {
            return statusSent;
        }
    }

    /** What this request did, for the request log and metrics. */
    RequestRecord record() {
        long end = System.nanoTime();
        return new RequestRecord(start, tenant.name(), caller.keyId(), model, inbound.operation().name(),
            current == null ? null : current.backend().name(), current == null ? null : current.id(),
            status(), stream(), attempts, failures, errorCode, clientGone,
            firstByteNanos == 0 ? null : java.time.Duration.ofNanos(firstByteNanos - startNanos),
            java.time.Duration.ofNanos(end - startNanos), requestId, clientIp, endpoint,
            limits == null ? null : limits.usage(), capture == null ? null : capture.result());
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Milliseconds left before {@code routing.request_timeout}, at least 1. */
    long millisToDeadline() {
        return Math.max(1, deadlineMillis - clock.millis());
    }

    void deadlineExpired() {
        deadlineExpired = true;
    }

    boolean isDeadlineExpired() {
        return deadlineExpired;
    }

    /** The upstream request of the attempt in progress, so that the deadline can abort it. */
    void upstream(org.eclipse.jetty.client.Request request) {
        this.upstream = request;
    }

    org.eclipse.jetty.client.Request upstream() {
        return upstream;
    }

    /** The response transformer of the whole exchange; each attempt installs its own into it. */
    ExchangeOutput output() {
        return output;
    }

    boolean stream() {
        return body != null && body.stream();
    }

    void held(HeldAnswer answer) {
        held = answer;
        lastError = null;
    }

    void failed(Throwable failure) {
        held = null;
        lastError = isTimeout(failure) ? ApiErrors.backendTimeout() : ApiErrors.backendUnreachable();
    }

    static boolean isTimeout(Throwable failure) {
        return FailureClassifier.isTimeout(failure);
    }

    /** The held reply to give the client when no deployment is left, or null. */
    HeldAnswer heldAnswer() {
        return held;
    }

    /** The error to answer when no deployment is left and no reply is held. */
    ApiError exhaustedError() {
        if (deadlineExpired)
            return ApiErrors.backendTimeout();
        if (lastError != null)
            return lastError;
        if (searching || inbound.operation() == Operation.RESPONSE_ITEM)
            return tried.isEmpty() ? ApiErrors.responseNotFound(inbound.responseId()) : ApiErrors.backendUnreachable();
        long atLimit = limits == null ? 0 : limits.deploymentRetryAfterSeconds();
        if (atLimit > 0 && held == null)
            return ApiErrors.deploymentsAtLimit(model, atLimit);
        ApiError error = ApiErrors.noHealthyBackend(model);
        Instant soonest = route == null ? null : router.health().nextAvailableAt(route.candidates());
        long seconds = soonest == null ? routing.maxRetryAfter().toSeconds()
            : Math.max(1, (soonest.toEpochMilli() - clock.millis() + 999) / 1000);
        return error.withRetryAfter(seconds);
    }

    /**
     * The body for the chosen deployment: the client's, with the deployment's name as the model, and {@code stream}
     * turned into what the deployment takes (asking for the usage chunk when a stream is assembled into JSON).
     */
    byte[] upstreamBody(Deployment deployment) {
        if (body == null)
            return rawBody == null || rawBody.length == 0 ? null : rawBody;
        byte[] withModel = body.withModel(deployment.name());
        Conversion conversion = conversionFor(deployment);
        if (conversion == Conversion.NONE && injectsUsage(deployment)) {
            String text = new String(withModel, java.nio.charset.StandardCharsets.UTF_8);
            return RequestStreamFlag.withIncludeUsage(text).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (conversion == Conversion.NONE)
            return withModel;
        String text = new String(withModel, java.nio.charset.StandardCharsets.UTF_8);
        text = conversion == Conversion.JSON_TO_STREAM
            ? RequestStreamFlag.withoutStreamOptions(RequestStreamFlag.withStream(text, false))
            : RequestStreamFlag.withIncludeUsage(RequestStreamFlag.withStream(text, true));
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String withoutApiVersion(String query) {
        if (query == null || query.isEmpty())
            return null;
        if (!query.toLowerCase(Locale.ROOT).contains("api-version"))
            return query;
        StringBuilder kept = new StringBuilder(query.length());
        for (String pair : query.split("&")) {
            if (pair.isEmpty() || pair.toLowerCase(Locale.ROOT).startsWith("api-version=") || pair.equalsIgnoreCase("api-version"))
                continue;
            if (kept.length() > 0)
                kept.append('&');
            kept.append(pair);
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    void clientGone() {
        clientGone = true;
    }

    boolean isClientGone() {
        return clientGone;
    }

    HttpServletRequest request() {
        return request;
    }

    TenantKey caller() {
        return caller;
    }

    boolean jsonBody() {
        return body instanceof JsonBody;
    }

    HttpServletResponse response() {
        return response;
    }

    Inbound inbound() {
        return inbound;
    }

    Tenant tenant() {
        return tenant;
    }

    String model() {
        return model;
    }

    String upstreamQuery() {
        return upstreamQuery;
    }

    Deployment current() {
        return current;
    }

    boolean isSearching() {
        return searching;
    }

    Router router() {
        return router;
    }

    RoutingConfig routing() {
        return routing;
    }

    int attempts() {
        return attempts;
    }
}
