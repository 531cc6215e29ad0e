package io.aigateway.api;

/** The errors the gateway raises itself, one factory per cause, so that codes and wording stay consistent. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static ApiError missingApiKey() {
        return new ApiError(401, ApiError.AUTHENTICATION, "invalid_api_key", null,
            "Missing API key: send it as 'Authorization: Bearer <key>', 'api-key' or 'x-api-key'.");
    }

    public static ApiError invalidApiKey() {
        return new ApiError(401, ApiError.AUTHENTICATION, "invalid_api_key", null, "Incorrect API key provided.");
    }

    public static ApiError expiredApiKey() {
        return new ApiError(401, ApiError.AUTHENTICATION, "invalid_api_key", null, "This API key has expired.");
    }

    public static ApiError ambiguousApiKey() {
        return new ApiError(401, ApiError.AUTHENTICATION, "invalid_api_key", null,
            "Several different API keys were sent; send exactly one.");
    }

    public static ApiError modelNotAllowed(String model) {
        return new ApiError(403, ApiError.PERMISSION, "model_not_allowed", "model",
            "The model '" + model + "' is not enabled for this API key's project.");
    }

    public static ApiError modelNotFound(String model) {
        return new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model",
            "The model '" + model + "' does not exist or you do not have access to it.");
    }

    public static ApiError unknownRoute(String method, String path) {
        return new ApiError(404, ApiError.INVALID_REQUEST, "unknown_url", null,
            "Unknown request URL: " + method + " " + path + ".");
    }

    public static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, ApiError.INVALID_REQUEST, "method_not_allowed", null,
            "Method " + method + " is not allowed on " + path + ".");
    }

    public static ApiError invalidJson(String detail) {
        return new ApiError(400, ApiError.INVALID_REQUEST, "invalid_json", null,
            "The request body is not valid JSON: " + detail);
    }

    public static ApiError invalidField(String param, String message) {
        return new ApiError(400, ApiError.INVALID_REQUEST, "invalid_value", param, message);
    }

    public static ApiError missingModel() {
        return new ApiError(400, ApiError.INVALID_REQUEST, "missing_required_parameter", "model",
            "You must provide a model parameter.");
    }

    public static ApiError bodyTooLarge(long limit) {
        return new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null,
            "The request body exceeds the limit of " + limit + " bytes.");
    }

    public static ApiError requestTimeout() {
        return new ApiError(408, ApiError.INVALID_REQUEST, "request_timeout", null,
            "The request body did not arrive in time.");
    }

    public static ApiError noHealthyBackend(String model) {
        return new ApiError(503, ApiError.SERVER, "no_healthy_backend", null,
            "No healthy backend is available for the model '" + model + "'. Try again later.");
    }

    /** {@code server.max_in_flight} reached: refused at once, to be retried in a second (here or elsewhere). */
    public static ApiError overloaded() {
        return new ApiError(503, ApiError.SERVER, "overloaded", null,
            "The gateway is handling too many requests. Try again shortly.").withRetryAfter(1);
    }

    public static ApiError backendUnreachable() {
        return new ApiError(502, ApiError.SERVER, "backend_unreachable", null,
            "The backend could not be reached.");
    }

    public static ApiError backendTimeout() {
        return new ApiError(504, ApiError.SERVER, "backend_timeout", null,
            "The backend did not answer in time.");
    }

    public static ApiError backendStreamFailed() {
        return new ApiError(502, ApiError.SERVER, "backend_stream_failed", null,
            "The backend failed while streaming the response.");
    }

    public static ApiError responseNotFound(String id) {
        return new ApiError(404, ApiError.INVALID_REQUEST, "not_found", null,
            "No response with id '" + id + "' was found.");
    }

    public static ApiError internal() {
        return new ApiError(500, ApiError.SERVER, "internal_error", null,
            "The gateway failed to handle the request.");
    }

    /** A rate limit refused the request: OpenAI's {@code rate_limit_exceeded}. */
    public static ApiError rateLimited(String scope, String kind, long retryAfterSeconds) {
        return new ApiError(429, ApiError.RATE_LIMIT, "rate_limit_exceeded", null,
            "Rate limit reached for " + kind + " (" + scope + " limit). Try again in " + retryAfterSeconds + "s.")
            .withRetryAfter(retryAfterSeconds);
    }

    /** Every deployment of the model is at its own limit. */
    public static ApiError deploymentsAtLimit(String model, long retryAfterSeconds) {
        return new ApiError(429, ApiError.RATE_LIMIT, "rate_limit_exceeded", null,
            "Every deployment of the model '" + model + "' is at its rate limit. Try again in " + retryAfterSeconds + "s.")
            .withRetryAfter(retryAfterSeconds);
    }

    /** The tenant's quota for the period is used up: OpenAI's {@code insufficient_quota}. */
    public static ApiError insufficientQuota(long retryAfterSeconds) {
        return new ApiError(429, "insufficient_quota", "insufficient_quota", null,
            "You exceeded your current quota; it resets in " + retryAfterSeconds + "s.").withRetryAfter(retryAfterSeconds);
    }

    /** The limit store cannot be reached and the gateway fails closed. */
    public static ApiError limitStoreUnavailable() {
        return new ApiError(503, ApiError.SERVER, "limit_store_unavailable", null,
            "The gateway cannot check rate limits right now. Try again later.").withRetryAfter(1);
    }
}
