package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.ModelRoute;
import io.aigateway.registry.Tenant;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.FailureClassifier;
import io.aigateway.routing.RetryPolicy;
import io.aigateway.routing.Router;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Inbound inbound;
    private final Tenant tenant;
    private final Router router;
    private final RetryPolicy retryPolicy;
    private final String upstreamQuery;
    private final List<Deployment> tried = new ArrayList<>(2);

    private RoutableBody body;
    private byte[] rawBody;
    private String model;
    private ModelRoute route;
    /** For requests that follow a stored response back: the deployments to look in, in order. */
    private List<Deployment> searchOrder;
    private boolean searching;
    private Deployment current;
    private HeldAnswer held;
    private ApiError lastError;
    private volatile boolean clientGone;

    ProxyExchange(HttpServletRequest request, HttpServletResponse response, Inbound inbound, Tenant tenant, Router router, RetryPolicy retryPolicy) {
        this.request = request;
        this.response = response;
        this.inbound = inbound;
        this.tenant = tenant;
        this.router = router;
        this.retryPolicy = retryPolicy;
        this.upstreamQuery = withoutApiVersion(request.getQueryString());
    }

    /**
     * Takes the body in and resolves where the request may go.
     *
     * @return the error to answer, or null when the request can be sent
     */
    ApiError resolve(byte[] bytes, ResponseAffinity affinity) {
        this.rawBody = bytes;
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
        if (!tenant.allows(model))
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

    /** The next deployment to try, or null when there is none left. Marks it tried. */
    Deployment next() {
        Deployment chosen = route != null
            ? router.choose(route, this::eligible)
            : router.chooseInOrder(searchOrder, this::eligible);
        if (chosen != null) {
            tried.add(chosen);
            current = chosen;
        }
        return chosen;
    }

    private boolean eligible(Deployment deployment) {
        return !tried.contains(deployment) && supports(deployment);
    }

    private boolean supports(Deployment deployment) {
        return Flavors.of(deployment.backend().flavor()).supports(inbound.operation());
    }

    private boolean hasAlternative() {
        List<Deployment> candidates = route != null ? route.candidates() : searchOrder;
        for (Deployment deployment : candidates) {
            if (eligible(deployment) && router.health().isAvailable(deployment))
                return true;
        }
        return false;
    }

    /** Whether a reply with this status is held back so that another deployment can be tried instead. */
    boolean holdForRetry(int status, FailureClass failure) {
        if (searching)
            return status == 404 && hasAlternative();
        return retryPolicy.mayRetry(tried.size(), failure) && hasAlternative();
    }

    /** Whether an attempt that failed before anything reached the client may be followed by another. */
    boolean mayRetry(FailureClass failure) {
        if (clientGone || response.isCommitted())
            return false;
        return searching || retryPolicy.mayRetry(tried.size(), failure);
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
        if (lastError != null)
            return lastError;
        if (searching || inbound.operation() == Operation.RESPONSE_ITEM)
            return tried.isEmpty() ? ApiErrors.responseNotFound(inbound.responseId()) : ApiErrors.backendUnreachable();
        return ApiErrors.noHealthyBackend(model);
    }

    /** The body for the chosen deployment: the client's, with the deployment's name as the model. */
    byte[] upstreamBody(Deployment deployment) {
        if (body == null)
            return rawBody == null || rawBody.length == 0 ? null : rawBody;
        return body.withModel(deployment.name());
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
}
