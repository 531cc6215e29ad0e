package io.aigateway.health;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /health}, liveness: {@code 200 {"status":"ok"}} whenever the web application answers at all. It says
 * nothing about backends, so an orchestrator does not restart a gateway because an upstream API is down: that is
 * what {@code /ready} is for.
 */
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthJson.send(response, HttpServletResponse.SC_OK, "ok", null);
    }
}
