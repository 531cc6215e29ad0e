package io.aigateway.health;

import io.aigateway.store.StoreHealth;
import io.aigateway.webapp.Gateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /ready}, readiness: {@code 200 {"status":"ok"}} while the gateway can route a request now and its store
 * is reachable (see
 * {@link Readiness}), else {@code 503 {"status":"unavailable","reason":"..."}}, so a load balancer sends traffic
 * to another instance meanwhile.
 */
public final class ReadinessServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Readiness readiness = Readiness.of((Gateway)getServletContext().getAttribute(Gateway.ATTRIBUTE),
            (StoreHealth)getServletContext().getAttribute(StoreHealth.ATTRIBUTE));
        if (readiness.ready())
            HealthJson.send(response, HttpServletResponse.SC_OK, "ok", null);
        else
            HealthJson.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", readiness.reason());
    }
}
