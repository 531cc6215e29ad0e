package io.aigateway.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the config file. The first of these that is set (and not blank) names it: the JNDI entry
 * {@value #JNDI_NAME}, the servlet context init-param {@value #PARAMETER}, the system property
 * {@value #PARAMETER}, the environment variable {@value #ENV_VARIABLE}; otherwise it is {@value #DEFAULT_FILE}.
 * A relative name is taken relative to the working directory.
 *
 * <p>The order goes from the most specific to one deployment to the most general, so a server console setting
 * overrides a setting shared by every webapp of the JVM or host.
 */
public final class ConfigLocator {

    /** The JNDI name looked up first (Tomcat {@code <Environment>}, Jetty {@code EnvEntry}). */
    public static final String JNDI_NAME = "java:comp/env/aigateway/config";
    /** The servlet context init-param and system property. */
    public static final String PARAMETER = "aigateway.config";
    /** The environment variable. */
    public static final String ENV_VARIABLE = "AIGATEWAY_CONFIG";
    /** The file used when nothing names one. */
    public static final String DEFAULT_FILE = "conf/gateway.yaml";

    /** A JNDI lookup: the value bound to a name, or null when there is none. */
    @FunctionalInterface
    public interface Lookup {
        /** Returns the value bound to {@code name}, or null when nothing is. */
        String lookup(String name);
    }

    private final Lookup jndi;
    private final Function<String, String> contextParams;
    private final Function<String, String> systemProperties;
    private final Function<String, String> env;
    private final Path workingDir;

    /**
     * @param jndi             the JNDI lookup, e.g. {@link #jndi()}
     * @param contextParams    the servlet context's init-params ({@code name -> null} outside a container)
     * @param systemProperties the system properties, e.g. {@code System::getProperty}
     * @param env              the environment, e.g. {@code System::getenv}
     * @param workingDir       what relative names are resolved against
     */
    public ConfigLocator(Lookup jndi, Function<String, String> contextParams,
            Function<String, String> systemProperties, Function<String, String> env, Path workingDir) {
        this.jndi = Objects.requireNonNull(jndi, "jndi");
        this.contextParams = Objects.requireNonNull(contextParams, "contextParams");
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.env = Objects.requireNonNull(env, "env");
        this.workingDir = workingDir.toAbsolutePath();
    }

    /**
     * A locator over this process: real JNDI, system properties, environment and working directory.
     *
     * @param contextParams the servlet context's init-params; {@code name -> null} for the standalone launcher
     */
    public static ConfigLocator forCurrentProcess(Function<String, String> contextParams) {
        return new ConfigLocator(jndi(), contextParams, System::getProperty, System::getenv,
                Path.of("").toAbsolutePath());
    }

    /** Looks names up in a fresh {@link InitialContext}; null when unbound, or when there is no JNDI at all. */
    public static Lookup jndi() {
        return name -> {
            InitialContext context = null;
            try {
                context = new InitialContext();
                Object value = context.lookup(name);
                return value == null ? null : value.toString();
            } catch (NamingException e) {
                // Outside a container there is no initial context: that just means "not set here".
                return null;
            } finally {
                closeQuietly(context);
            }
        };
    }

    /**
     * Picks the file.
     *
     * @throws ConfigException if the chosen file does not exist, naming it and where its name came from
     */
    public ConfigSource locate() {
        String jndiValue = jndi.lookup(JNDI_NAME);
        if (isSet(jndiValue)) {
            return resolve(jndiValue, "JNDI " + JNDI_NAME);
        }
        String parameter = contextParams.apply(PARAMETER);
        if (isSet(parameter)) {
            return resolve(parameter, "context init-param " + PARAMETER);
        }
        String property = systemProperties.apply(PARAMETER);
        if (isSet(property)) {
            return resolve(property, "system property " + PARAMETER);
        }
        String variable = env.apply(ENV_VARIABLE);
        if (isSet(variable)) {
            return resolve(variable, "environment " + ENV_VARIABLE);
        }
        return resolve(DEFAULT_FILE, "default " + DEFAULT_FILE);
    }

    private ConfigSource resolve(String name, String via) {
        Path path;
        try {
            path = workingDir.resolve(name.trim()).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(via, List.of(new ConfigProblem(name, "is not a valid path")));
        }
        if (!Files.isRegularFile(path)) {
            String reason = Files.exists(path) ? "is not a regular file" : "does not exist";
            if (via.startsWith("default")) {
                reason += " (name the config file with -D" + PARAMETER + "=..., " + ENV_VARIABLE
                        + ", a context init-param or JNDI)";
            }
            throw new ConfigException(via, List.of(new ConfigProblem(path.toString(), reason)));
        }
        return new ConfigSource(path, via);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static void closeQuietly(InitialContext context) {
        if (context != null) {
            try {
                context.close();
            } catch (NamingException e) {
                // Nothing was held open that a failed close could leak.
            }
        }
    }
}
