package io.aigateway.proxy;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.time.Duration;

/**
 * The HTTP client that talks to backends, the same whatever the container: its own thread pool (Tomcat has no
 * Jetty executor to share), no redirects followed, no cookies kept, no content decoding (bodies pass through as
 * sent), certificates and host names verified. Sized by the servlet's init-params {@code maxThreads} (default 200),
 * {@code maxConnections} per backend endpoint (default 4096) and {@code idleTimeout} of pooled connections in ms
 * (default 60000).
 */
final class UpstreamClients {
    private UpstreamClients() {
    }

    static HttpClient create(ServletConfig config) throws ServletException {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        // Certificates and host names are verified; SslContextFactory.Client does both by default.
        connector.setSslContextFactory(new SslContextFactory.Client());
        // A backstop only: each backend's own connect timeout is enforced per request.
        connector.setConnectTimeout(Duration.ofSeconds(60));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        QueuedThreadPool threads = new QueuedThreadPool(intParameter(config, "maxThreads", 200), 4);
        threads.setName("aigateway-upstream");
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("aigateway-upstream-scheduler", true));
        client.setMaxConnectionsPerDestination(intParameter(config, "maxConnections", 4096));
        client.setIdleTimeout(intParameter(config, "idleTimeout", 60_000));
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception x) {
            throw new ServletException(x);
        }
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        return client;
    }

    private static int intParameter(ServletConfig config, String name, int defaultValue) {
        String value = config.getInitParameter(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }
}
