package io.aigateway.api;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes an {@link ApiError} as the whole response. Used only while nothing has been committed. */
public final class ErrorResponder {
    private ErrorResponder() {
    }

    /**
     * Replaces whatever the response holds with the error. Uses blocking output: the body is small and
     * fits the response buffer, so the write never waits on the network.
     *
     * @return false when the response was already committed and nothing could be written
     */
    public static boolean send(HttpServletResponse response, ApiError error) throws IOException {
        return send(response, error, java.util.Map.of());
    }

    /** {@link #send(HttpServletResponse, ApiError)} with more headers, such as {@code x-ratelimit-*} on a 429. */
    public static boolean send(HttpServletResponse response, ApiError error, java.util.Map<String, String> headers) throws IOException {
        if (response.isCommitted())
            return false;
        // reset() clears the headers; a caller that decided to close the connection (a body left unread) must still say so.
        boolean close = "close".equalsIgnoreCase(response.getHeader("Connection"));
        response.reset();
        if (close)
            response.setHeader("Connection", "close");
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (error.status() == 401)
            response.setHeader("WWW-Authenticate", "Bearer");
        if (error.retryAfterSeconds() >= 0)
            response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        headers.forEach(response::setHeader);
        byte[] body = error.toJson().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return true;
    }
}
