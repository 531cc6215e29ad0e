package io.aigateway.proxy;

import io.aigateway.config.BackendConfig;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP client that talks to backends, the same whatever the container: its own thread pool (Tomcat has no
 * Jetty executor to share), no redirects followed, no cookies kept, no content decoding (bodies pass through as
 * sent), certificates and host names verified ({@link BackendTrust}: each backend's {@code tls.ca_file}, else the
 * JDK's trust store; there is no setting that turns verification off). Sized by the servlet's init-params {@code maxThreads} (default 200),
 * {@code maxConnections} per backend endpoint (default 4096) and {@code idleTimeout} of pooled connections in ms
 * (default 60000).
 */
final class UpstreamClients {
    private UpstreamClients() {
    }

    /** @param backends the backends now configured, read at each TLS handshake to pick the trust of its peer */
    static HttpClient create(ServletConfig config, Supplier<List<BackendConfig>> backends) throws ServletException {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(sslContextFactory(backends));
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

    private static SslContextFactory.Client sslContextFactory(Supplier<List<BackendConfig>> backends) throws ServletException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new BackendTrust(backends)}, null);
        } catch (GeneralSecurityException x) {
            throw new ServletException(x);
        }
        SslContextFactory.Client factory = new SslContextFactory.Client();
        factory.setSslContext(context);
        // The default already; said here because the trust manager's host name check depends on it.
        factory.setEndpointIdentificationAlgorithm("HTTPS");
        return factory;
    }

    private static int intParameter(ServletConfig config, String name, int defaultValue) {
        String value = config.getInitParameter(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }
}
