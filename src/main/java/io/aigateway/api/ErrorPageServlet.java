package io.aigateway.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The error page of the web application: errors the container raises itself (an exception escaping a servlet, a
 * {@code sendError}) reach the client in OpenAI's shape too.
 */
public final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 && value <= 599 ? value : 500;
        String type = status >= 500 ? ApiError.SERVER : ApiError.INVALID_REQUEST;
        String message = switch (status) {
            case 400 -> "The request could not be understood.";
            case 404 -> "Unknown request URL.";
            case 405 -> "Method not allowed.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request is too large.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large.";
            case 502 -> "The backend could not be reached.";
            case 503 -> "The gateway is unavailable.";
            case 504 -> "The backend did not answer in time.";
            default -> status >= 500 ? "The gateway failed to handle the request." : "The request was refused.";
        };
        String errorCode = status >= 500 ? "internal_error" : "http_" + status;
        ErrorResponder.send(response, new ApiError(status, type, errorCode, null, message));
    }
}
