package io.aigateway.testing;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ClassMatcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real gateway for tests: Jetty 12 deploying {@code src/main/webapp} (the real {@code web.xml}) with the classes
 * of this build, configured by a YAML text. The deployment tests do the same with the packaged WAR.
 */
public final class GatewayServer implements AutoCloseable {
    private final Server server;
    private final WebAppContext webapp;
    private final URI url;
    private final Path configFile;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayServer(Server server, WebAppContext webapp, URI url, Path configFile) {
        this.server = server;
        this.webapp = webapp;
        this.url = url;
        this.configFile = configFile;
    }

    public static GatewayServer start(String yaml) {
        return start(yaml, null);
    }

    /** A gateway whose policies read the given clock (null: the system's), so that tests move time instead of waiting. */
    public static GatewayServer start(String yaml, java.time.Clock clock) {
        try {
            Path configFile = Files.createTempFile("gateway-", ".yaml");
            Files.writeString(configFile, yaml);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            WebAppContext webapp = new WebAppContext();
            webapp.setContextPath("/");
            webapp.setBaseResourceAsPath(Path.of("src/main/webapp").toAbsolutePath());
            // The gateway's classes and libraries come from the test class path, not from a WEB-INF/lib.
            webapp.setParentLoaderPriority(true);
            // An empty matcher would match (hide) everything; one naming a package that does not exist hides nothing.
            webapp.setHiddenClassMatcher(new ClassMatcher("io.aigateway.testing.nothing.hidden."));
            webapp.setInitParameter("aigateway.config", configFile.toString());
            webapp.setThrowUnavailableOnStartupException(true);
            if (clock != null)
                webapp.setAttribute(io.aigateway.webapp.GatewayContextListener.CLOCK_ATTRIBUTE, clock);
            server.setHandler(webapp);
            server.start();
            URI url = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            return new GatewayServer(server, webapp, url, configFile);
        } catch (Exception x) {
            throw new IllegalStateException("gateway failed to start", x);
        }
    }

    /** The connector clients reach the gateway through, for tests that tune its timeouts. */
    public org.eclipse.jetty.server.ServerConnector connector() {
        return (org.eclipse.jetty.server.ServerConnector)server.getConnectors()[0];
    }

    /** The running gateway, to look at its state. */
    public io.aigateway.webapp.Gateway gateway() {
        return io.aigateway.webapp.GatewayContextListener.gateway(webapp.getServletContext());
    }

    /** An attribute of the webapp's servlet context (the live config, the request log, ...). */
    public Object contextAttribute(String name) {
        return webapp.getServletContext().getAttribute(name);
    }

    /** The active health checker, when health checks are on. */
    public io.aigateway.routing.probe.HealthChecker healthChecker() {
        return (io.aigateway.routing.probe.HealthChecker)webapp.getServletContext()
            .getAttribute(io.aigateway.routing.probe.HealthChecker.class.getName());
    }

    public URI url() {
        return url;
    }

    public URI url(String path) {
        return url.resolve(path);
    }

    public Path configFile() {
        return configFile;
    }

    /** A request builder for a gateway path with the bearer key set (none when key is null). */
    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(20));
        if (key != null)
            builder.header("Authorization", "Bearer " + key);
        return builder;
    }

    public HttpResponse<String> post(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    /** Sends a request and returns as soon as the response headers arrive, with the body as a live stream. */
    public HttpResponse<InputStream> open(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            server.stop();
            Files.deleteIfExists(configFile);
        } catch (Exception x) {
            throw new IllegalStateException("gateway failed to stop", x);
        }
    }
}
