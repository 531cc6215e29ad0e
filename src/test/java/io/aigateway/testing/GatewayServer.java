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
    private final URI url;
    private final Path configFile;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayServer(Server server, URI url, Path configFile) {
        this.server = server;
        this.url = url;
        this.configFile = configFile;
    }

    public static GatewayServer start(String yaml) {
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
            server.setHandler(webapp);
            server.start();
            URI url = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            return new GatewayServer(server, url, configFile);
        } catch (Exception x) {
            throw new IllegalStateException("gateway failed to start", x);
        }
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
