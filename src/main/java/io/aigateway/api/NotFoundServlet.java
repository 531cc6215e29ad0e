package io.aigateway.api;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The default servlet: any path the gateway does not serve gets a 404 in OpenAI's shape, never a container page. */
public final class NotFoundServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorResponder.send(response, ApiErrors.unknownRoute(request.getMethod(), request.getRequestURI()));
    }
}
