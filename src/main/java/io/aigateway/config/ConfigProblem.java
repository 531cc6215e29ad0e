package io.aigateway.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration: where it is and what is wrong with it.
 *
 * @param path    the field path in the config file, e.g. {@code backends[1].endpoint}; empty when the problem
 *                is with the record or document as a whole
 * @param message what is wrong, e.g. {@code not an absolute http(s) URL}
 */
public record ConfigProblem(String path, String message) {

    /** Checks that both parts are given. */
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** Returns {@code path: message}, the form operators see (only the message when the path is empty). */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
