package io.aigateway.standalone;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The launcher's command line.
 *
 * <pre>
 * --config FILE         the config file (else: system property aigateway.config, env AIGATEWAY_CONFIG, conf/gateway.yaml)
 * --port N              listen on this port instead of server.port (0: any free port)
 * --host ADDRESS        bind to this address instead of server.host
 * --war FILE            serve this WAR instead of the one inside the launcher
 * --check-config [FILE] validate the config and exit: 0 when valid, 2 when not
 * --help                print this and exit
 * </pre>
 */
record LauncherOptions(Path config, Integer port, String host, Path war, boolean checkConfig, boolean help) {
    static final String USAGE = """
        Usage: java -jar ai-gateway-standalone.jar [options]
          --config FILE          config file (default: -Daigateway.config, $AIGATEWAY_CONFIG, conf/gateway.yaml)
          --port N               listen port, overrides server.port (0 = any free port)
          --host ADDRESS         bind address, overrides server.host
          --war FILE             serve this WAR instead of the embedded one
          --check-config [FILE]  validate the config and exit (0 valid, 2 invalid)
          --help                 show this help
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
        boolean check = false;
        boolean help = false;
        Iterator<String> it = Arrays.asList(args).iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "--config" -> config = Path.of(value(arg, it));
                case "--port" -> port = port(value(arg, it));
                case "--host" -> host = value(arg, it);
                case "--war" -> war = Path.of(value(arg, it));
                case "--check-config" -> check = true;
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
        return new LauncherOptions(config, port, host, war, check, help);
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
}
