package io.aigateway.standalone;

import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigLoader;
import io.aigateway.config.ConfigLocator;
import io.aigateway.config.ConfigProblem;
import io.aigateway.config.ConfigSource;
import io.aigateway.config.GatewayConfig;
import io.aigateway.log.LogRedaction;
import org.eclipse.jetty.ee10.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee10.webapp.JndiConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Runs the gateway without an application server: embedded Jetty 12 deploying the same {@code ai-gateway.war}
 * that goes to Jetty or Tomcat, so the standalone gateway is the deployed one, not a variant of it.
 */
public final class StandaloneLauncher {
    /** How long in-flight requests (streams included) may take to finish on shutdown. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    static final String EMBEDDED_WAR = "/ai-gateway.war";
    /**
     * How long a client connection may stay silent (in its headers, in its body, or between requests) before it is
     * closed. It bounds only the client's silence: a request waiting for a slow backend is not cut off by it.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The largest request line and header block, in bytes; beyond it Jetty answers 431 before the gateway runs. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /** The webapp's context parameter that {@code --no-auth} sets; read by the gateway's {@code ApiKeyFilter}. */
    static final String NO_AUTH_PARAMETER = "aigateway.noAuth";
    /**
     * The webapp's context parameter that names the store's database: {@code --database}, or {@code embedded} (an H2
     * file under {@code data/}) so that the standalone gateway keeps its admin changes and request log with no server.
     */
    static final String DATABASE_PARAMETER = "aigateway.database";
    /** The value of {@link #DATABASE_PARAMETER} that asks for the embedded H2 database under {@code data/}. */
    static final String EMBEDDED_DATABASE = "embedded";
    static final String NO_AUTH_WARNING = """
        ******************************************************************************
        WARNING: --no-auth: API requests WITHOUT a key are accepted as tenant "dev",
        allowed every model. For development on this machine only; never in production.
        ******************************************************************************""";

    private final Server server;
    private final Path configFile;

    private StandaloneLauncher(Server server, Path configFile) {
        this.server = server;
        this.configFile = configFile;
    }

    public static void main(String[] args) {
        // The launcher's Jetty logs through its own log4j2: redact there too (client keys in request headers).
        LogRedaction.install();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the launcher; returns the process exit code once the server has stopped (or at once on error). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (LauncherOptions.UsageException x) {
            err.println(x.getMessage());
            err.print(LauncherOptions.USAGE);
            return 64;
        }
        if (options.help()) {
            out.print(LauncherOptions.USAGE);
            return 0;
        }
        if (options.version()) {
            out.println("AI Gateway " + version());
            return 0;
        }
        Path configFile;
        GatewayConfig config;
        try {
            configFile = locate(options);
            config = new ConfigLoader(System::getenv).load(configFile);
        } catch (ConfigException x) {
            err.println(x.getMessage());
            return 2;
        }
        if (options.checkConfig() || options.listBackends()) {
            if (options.checkConfig())
                out.println(configFile + ": valid (" + config.tenants().size() + " tenants, " + config.backends().size()
                    + " backends, " + config.publicModels().size() + " public models)");
            if (options.listBackends())
                BackendListing.print(config, out);
            return 0;
        }
        String host = options.host() != null ? options.host() : config.server().host();
        if (options.noAuth()) {
            if (!LoopbackAddress.isLoopback(host)) {
                err.println("--no-auth refuses to bind to " + host + ": it accepts requests without a key, so the bind"
                    + " address must be loopback (--addr 127.0.0.1, ::1 or localhost)");
                return 64;
            }
            err.println(NO_AUTH_WARNING);
        }
        try {
            StandaloneLauncher launcher = start(options, config, configFile);
            out.println("AI Gateway listening on http://" + displayHost(host) + ":" + launcher.port()
                + "/ (config " + configFile + ")");
            out.flush();
            launcher.server.join();
            return 0;
        } catch (Exception x) {
            err.println("AI Gateway failed to start: " + x);
            return 1;
        }
    }

    private static Path locate(LauncherOptions options) {
        if (options.config() != null) {
            if (!Files.isRegularFile(options.config()))
                throw new ConfigException(options.config().toString(),
                    List.of(new ConfigProblem("--config", "file not found: " + options.config())));
            return options.config().toAbsolutePath();
        }
        ConfigSource source = new ConfigLocator(name -> null, name -> null, System::getProperty, System::getenv,
            Path.of("").toAbsolutePath()).locate();
        return source.path().toAbsolutePath();
    }

    static StandaloneLauncher start(LauncherOptions options, GatewayConfig config, Path configFile) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("aigateway-server");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setHost(options.host() != null ? options.host() : config.server().host());
        connector.setPort(options.port() != null ? options.port() : config.server().port());
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar((options.war() != null ? options.war() : extractEmbeddedWar()).toAbsolutePath().toString());
        // The webapp finds the same file through its context parameter, whatever the working directory.
        webapp.setInitParameter("aigateway.config", configFile.toString());
        if (options.noAuth())
            webapp.setInitParameter(NO_AUTH_PARAMETER, "true");
        // store.url or a JNDI DataSource in the config still come first: this is only the fallback.
        webapp.setInitParameter(DATABASE_PARAMETER, options.database() != null ? options.database() : EMBEDDED_DATABASE);
        webapp.addConfiguration(new JndiConfiguration(), new EnvConfiguration(), new PlusConfiguration());
        webapp.setThrowUnavailableOnStartupException(true);

        GracefulHandler graceful = new GracefulHandler(webapp);
        server.setHandler(graceful);
        server.setStopTimeout(SHUTDOWN_GRACE.toMillis());
        server.setStopAtShutdown(true);
        server.setErrorHandler(new OpenAiErrorHandler());
        server.start();
        return new StandaloneLauncher(server, configFile);
    }

    private static Path extractEmbeddedWar() throws IOException {
        try (InputStream war = StandaloneLauncher.class.getResourceAsStream(EMBEDDED_WAR)) {
            if (war == null)
                throw new IOException("No " + EMBEDDED_WAR + " inside the launcher: pass --war FILE");
            Path file = Files.createTempFile("ai-gateway-", ".war");
            file.toFile().deleteOnExit();
            Files.copy(war, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    int port() {
        return ((ServerConnector)server.getConnectors()[0]).getLocalPort();
    }

    private static String displayHost(String host) {
        if (host.equals("0.0.0.0"))
            return "localhost";
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The Implementation-Version of the packaged jar's manifest. */
    static String version() {
        String version = StandaloneLauncher.class.getPackage().getImplementationVersion();
        return version != null ? version : "(unknown version: not run from the packaged jar)";
    }

    Path configFile() {
        return configFile;
    }

    void stop() throws Exception {
        server.stop();
    }
}
