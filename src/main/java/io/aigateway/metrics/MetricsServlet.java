package io.aigateway.metrics;

import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.auth.AdminKeys;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.MetricsAccess;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;

/**
 * {@code GET metrics.path}: the gateway's metrics in Prometheus' text format (0.0.4). Registered by the context
 * listener at the configured path, so it is not in {@code web.xml}. When {@code metrics.enabled} is false or
 * {@code metrics.access} is {@code disabled}, it answers 404 exactly as an unknown path does.
 */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient GatewayMetrics metrics;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsServlet(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Maps a metrics servlet at {@code metrics.path}. Only a context listener declared in {@code web.xml} may.
     *
     * @throws IllegalStateException when the path is already mapped to another servlet
     */
    public static void register(ServletContext context, GatewayMetrics metrics, String path) {
        ServletRegistration.Dynamic servlet = context.addServlet("metrics", new MetricsServlet(metrics));
        if (servlet == null)
            throw new IllegalStateException("web.xml already declares a servlet named 'metrics'");
        Set<String> taken = servlet.addMapping(path);
        if (!taken.isEmpty())
            throw new IllegalStateException("metrics.path " + path + " is already mapped to another servlet");
    }

    /** Hidden, the path is unknown to every method, not only to GET. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (metrics.exposed())
            super.service(request, response);
        else
            ErrorResponder.send(response, ApiErrors.unknownRoute(request.getMethod(), request.getRequestURI()));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        GatewayConfig config = metrics.gateway().config();
        if (config.metrics().access() == MetricsAccess.ADMIN) {
            // The same check as the admin API's: a tenant key is refused (403), not merely unknown.
            AdminKeys.Result auth = AdminKeys.authenticate(request, config.admin(), metrics.gateway().registry(),
                metrics.gateway().clock().instant());
            if (auth instanceof AdminKeys.Refused refused) {
                ErrorResponder.send(response, refused.error());
                return;
            }
        }
        // Written to memory first: a scrape is tens of kilobytes, and a failing collector must not leave half a page.
        ByteArrayOutputStream text = new ByteArrayOutputStream(32 * 1024);
        writer.write(text, metrics.registry().scrape());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(text.size());
        text.writeTo(response.getOutputStream());
    }
}
