package io.aigateway.admin;

import io.aigateway.api.ApiError;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigProblem;

import java.util.stream.Collectors;

/** Ends an admin request with an OpenAI-shaped error: 400 with the field path, 404, 409. */
final class AdminProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    AdminProblem(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    ApiError error() {
        return error;
    }

    static AdminProblem invalid(String param, String message) {
        return new AdminProblem(new ApiError(400, ApiError.INVALID_REQUEST, "invalid_field", param,
                param == null ? message : param + ": " + message));
    }

    /** Every problem of the config with its path; the first path is the error's {@code param}. */
    static AdminProblem invalid(ConfigException x) {
        String param = x.problems().isEmpty() ? null : x.problems().get(0).path();
        String message = x.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
        return new AdminProblem(new ApiError(400, ApiError.INVALID_REQUEST, "invalid_field", param, message));
    }

    static AdminProblem notFound(String what) {
        return new AdminProblem(new ApiError(404, ApiError.NOT_FOUND, "not_found", null, what + " does not exist"));
    }

    static AdminProblem conflict(String code, String message) {
        return new AdminProblem(new ApiError(409, ApiError.INVALID_REQUEST, code, null, message));
    }

    /** Entities of the config file belong to the file: changing them through the API would be undone by a reload. */
    static AdminProblem fromFile(String type, String name) {
        return conflict("defined_in_config_file", type + " '" + name + "' is defined in the config file and is"
                + " read-only through the admin API; change the file instead");
    }

    static AdminProblem noStore() {
        return conflict("no_store", "the gateway has no store (configure store.url or the JNDI DataSource"
                + " java:comp/env/jdbc/aigateway), so nothing can be created, changed or queried here");
    }
}
