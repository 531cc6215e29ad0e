package io.aigateway.standalone;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The launcher's command line; {@link #USAGE} is its reference.
 *
 * @param config       {@code --config FILE}, or the file after {@code --check-config}; null to locate it as the
 *                     webapp does
 * @param port         {@code --port N}; null for {@code server.port}
 * @param host         {@code --addr ADDRESS} (or its older name {@code --host}); null for {@code server.host}
 * @param war          {@code --war FILE}; null for the WAR inside the launcher
 * @param database     {@code --database JDBC_URL}; null when absent
 * @param checkConfig  {@code --check-config [FILE]}: validate and exit
 * @param listBackends {@code --list-backends}: print the backends and aliases and exit
 * @param noAuth       {@code --no-auth}: accept requests without a key (development only, loopback only)
 * @param version      {@code --version}: print the version and exit
 * @param help         {@code --help}: print the usage and exit
 */
record LauncherOptions(Path config, Integer port, String host, Path war, String database, boolean checkConfig,
                       boolean listBackends, boolean noAuth, boolean version, boolean help) {
    static final String USAGE = """
        Usage: java -jar ai-gateway-standalone.jar [options]
          --config FILE          config file (default: -Daigateway.config, $AIGATEWAY_CONFIG, conf/gateway.yaml)
          --port N               listen port, overrides server.port (0 = any free port)
          --addr ADDRESS         bind address, overrides server.host (--host is the same option)
          --war FILE             serve this WAR instead of the embedded one
          --database JDBC_URL    the store's database when the config has no store.url or JNDI DataSource
                                 (default: embedded H2 under ./data/)
          --no-auth              DEVELOPMENT ONLY: requests without a key are accepted as tenant "dev" allowed
                                 every model; refused unless the bind address is loopback (127.0.0.1, ::1, localhost)
          --check-config [FILE]  validate the config and exit (0 valid, 2 invalid)
          --list-backends        print the config's backends, deployments and aliases and exit (2 if invalid)
          --version              print the version and exit
          --help                 show this help
        Exit codes: 0 done (or stopped), 1 failed to start, 2 invalid config,
                    64 bad command line or --no-auth on a non-loopback address. SIGTERM stops gracefully (30 s).
        """;

    /** A command line that cannot be understood. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static LauncherOptions parse(String... args) throws UsageException {
        Path config = null;
        Integer port = null;
        String host = null;
        Path war = null;
        String database = null;
        boolean check = false;
        boolean list = false;
        boolean noAuth = false;
        boolean version = false;
        boolean help = false;
        Iterator<String> it = Arrays.asList(args).iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "--config" -> config = Path.of(value(arg, it));
                case "--port" -> port = port(value(arg, it));
                case "--addr", "--host" -> host = host(arg, value(arg, it), host);
                case "--war" -> war = Path.of(value(arg, it));
                case "--database" -> database = database(value(arg, it));
                case "--check-config" -> check = true;
                case "--list-backends" -> list = true;
                case "--no-auth" -> noAuth = true;
                case "--version" -> version = true;
                case "--help", "-h" -> help = true;
                default -> {
                    // --check-config takes its file as an optional next argument.
                    if (check && config == null && !arg.startsWith("-"))
                        config = Path.of(arg);
                    else
                        throw new UsageException("Unknown option: " + arg);
                }
            }
        }
        return new LauncherOptions(config, port, host, war, database, check, list, noAuth, version, help);
    }

    private static String value(String option, Iterator<String> it) throws UsageException {
        if (!it.hasNext())
            throw new UsageException(option + " needs a value");
        return it.next();
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535)
                throw new UsageException("--port must be between 0 and 65535");
            return port;
        } catch (NumberFormatException x) {
            throw new UsageException("--port must be a number: " + value);
        }
    }

    private static String host(String option, String value, String earlier) throws UsageException {
        if (value.isBlank())
            throw new UsageException(option + " must not be blank");
        // --addr and --host are one option: two different addresses are a mistake, not a choice.
        if (earlier != null && !earlier.equals(value))
            throw new UsageException("--addr/--host given twice: " + earlier + " and " + value);
        return value;
    }

    private static String database(String value) throws UsageException {
        // The URL may carry a password: never repeat it in a message.
        if (!value.startsWith("jdbc:"))
            throw new UsageException("--database must be a JDBC URL (jdbc:...)");
        return value;
    }
}
