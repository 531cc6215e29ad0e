package io.aigateway.log;

import io.aigateway.config.LogChannelConfig;
import io.aigateway.config.LoggingConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.RootLoggerComponentBuilder;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code logging.channels[]} of the config as the log4j2 configuration of the web application's logger
 * context: one rolling file per channel (size and daily triggers, a count and an age limit on rolled files, gzip),
 * each behind an asynchronous appender so that a slow disk never holds up a request, and every one behind the
 * {@link LogRedaction}. {@link #close()} gives the context back its standard configuration.
 */
public final class LogChannels implements AutoCloseable {
    /** The logger of the request log: one JSON line per request. */
    public static final String REQUEST_LOGGER = "aigateway.request";
    /** The logger of the audit log: admin changes. */
    public static final String AUDIT_LOGGER = "aigateway.audit";

    static final String APP_PATTERN = "%d{ISO8601} %-5level [%t] %c{1.} - %msg%n";
    /** The request and audit lines are complete JSON documents: nothing may be added around them. */
    static final String LINE_PATTERN = "%msg%n";
    /** Events each channel holds while its file is slow; beyond that they are dropped, never waited for. */
    static final int QUEUE_SIZE = 8192;
    /** Jetty logs a great deal below WARN; an app channel at DEBUG means the gateway's DEBUG, not Jetty's. */
    private static final String JETTY = "org.eclipse.jetty";

    private final LoggerContext context;
    private final Configuration configuration;

    private LogChannels(LoggerContext context, Configuration configuration) {
        this.context = context;
        this.configuration = configuration;
    }

    /**
     * Switches the context to the channels of the config.
     *
     * @param baseDirectory where relative {@code file}s are resolved: the directory of the config file
     * @return the running channels, or empty (and the context untouched) when the config has none
     */
    public static Optional<LogChannels> start(LoggerContext context, LoggingConfig logging, Path baseDirectory) {
        if (!logging.enabled())
            return Optional.empty();
        Configuration configuration = build(context, logging, baseDirectory);
        context.reconfigure(configuration);
        return Optional.of(new LogChannels(context, configuration));
    }

    /** The configuration of the channels, not yet started. */
    static Configuration build(LoggerContext context, LoggingConfig logging, Path baseDirectory) {
        ConfigurationBuilder<ChannelConfiguration> builder =
            ConfigurationBuilderFactory.newConfigurationBuilder(ChannelConfiguration.class);
        builder.setConfigurationName("aigateway-channels");
        builder.setStatusLevel(Level.WARN);
        builder.setLoggerContext(context);
        // In a web application the container decides when logging ends: no shutdown hook of our own.
        builder.setShutdownHook("disable");

        Optional<LogChannelConfig> app = logging.channel("app");
        Level appLevel;
        RootLoggerComponentBuilder root;
        if (app.isPresent()) {
            appLevel = level(app.get());
            addChannel(builder, app.get(), APP_PATTERN, baseDirectory);
            root = builder.newRootLogger(appLevel).add(builder.newAppenderRef("app"));
        } else {
            appLevel = Level.INFO;
            builder.add(builder.newAppender("console-out", "Console").addAttribute("target", "SYSTEM_OUT")
                .addAttribute("immediateFlush", false)
                .add(builder.newLayout("PatternLayout").addAttribute("pattern", APP_PATTERN)));
            builder.add(asynchronous(builder, "console", "console-out"));
            root = builder.newRootLogger(appLevel).add(builder.newAppenderRef("console"));
        }
        builder.add(root);
        builder.add(builder.newLogger(JETTY, appLevel.isMoreSpecificThan(Level.WARN) ? appLevel : Level.WARN));
        logger(builder, logging, "request", REQUEST_LOGGER, baseDirectory);
        logger(builder, logging, "audit", AUDIT_LOGGER, baseDirectory);
        return builder.build(false);
    }

    /** A channel for one named logger that writes only to its own file; without a channel it goes to the root. */
    private static void logger(ConfigurationBuilder<ChannelConfiguration> builder, LoggingConfig logging,
            String channelName, String loggerName, Path baseDirectory) {
        logging.channel(channelName).ifPresent(channel -> {
            addChannel(builder, channel, LINE_PATTERN, baseDirectory);
            builder.add(builder.newLogger(loggerName, level(channel)).addAttribute("additivity", false)
                .add(builder.newAppenderRef(channel.name())));
        });
    }

    /** The rolling file appender {@code <name>-file} and the asynchronous appender {@code <name>} in front of it. */
    private static void addChannel(ConfigurationBuilder<ChannelConfiguration> builder, LogChannelConfig channel,
            String pattern, Path baseDirectory) {
        Path file = baseDirectory.resolve(channel.file()).toAbsolutePath().normalize();
        RolledFiles rolled = RolledFiles.of(file, channel.compress());
        ComponentBuilder<?> policies = builder.newComponent("Policies")
            .addComponent(builder.newComponent("TimeBasedTriggeringPolicy"));
        if (channel.maxSizeMb() > 0)
            policies.addComponent(builder.newComponent("SizeBasedTriggeringPolicy")
                .addAttribute("size", channel.maxSizeMb() + " MB"));

        // The count limit is the Delete action's, across days: the strategy's own max counts per day only.
        ComponentBuilder<?> limits = builder.newComponent("IfAny")
            .addComponent(builder.newComponent("IfAccumulatedFileCount").addAttribute("exceeds", channel.maxBackups()));
        if (channel.maxAgeDays() > 0)
            limits.addComponent(builder.newComponent("IfLastModified").addAttribute("age", channel.maxAgeDays() + "d"));
        ComponentBuilder<?> delete = builder.newComponent("Delete")
            .addAttribute("basePath", lookupsEscaped(file.getParent().toString()))
            .addAttribute("maxDepth", 1)
            .addComponent(builder.newComponent("IfFileName").addAttribute("glob", rolled.glob()).addComponent(limits));
        ComponentBuilder<?> strategy = builder.newComponent("DefaultRolloverStrategy")
            .addAttribute("fileIndex", "nomax")
            .addComponent(delete);

        AppenderComponentBuilder rolling = builder.newAppender(channel.name() + "-file", "RollingRandomAccessFile")
            .addAttribute("fileName", lookupsEscaped(file.toString()))
            .addAttribute("filePattern", rolled.pattern())
            // Flushed when the asynchronous queue runs empty rather than after every line.
            .addAttribute("immediateFlush", false)
            .add(builder.newLayout("PatternLayout").addAttribute("pattern", pattern))
            .addComponent(policies)
            .addComponent(strategy);
        builder.add(rolling);
        builder.add(asynchronous(builder, channel.name(), channel.name() + "-file"));
    }

    /** The asynchronous appender {@code name} in front of {@code target}: a full queue drops, never waits. */
    private static AppenderComponentBuilder asynchronous(ConfigurationBuilder<ChannelConfiguration> builder,
            String name, String target) {
        return builder.newAppender(name, "Async")
            .addAttribute("bufferSize", QUEUE_SIZE)
            .addAttribute("blocking", false)
            .addComponent(builder.newAppenderRef(target));
    }

    private static Level level(LogChannelConfig channel) {
        return Level.toLevel(channel.level().toUpperCase(Locale.ROOT));
    }

    /** The configuration in force while the channels run. */
    Configuration configuration() {
        return configuration;
    }

    /**
     * Drains and closes the channel files and gives the context its standard configuration back, unless something
     * has replaced the channels since.
     */
    @Override
    public void close() {
        if (context.getConfiguration() == configuration)
            context.reconfigure();
    }

    /** How the rolled files of a channel are named: {@code request.log} rolls to {@code request-<date>-<n>.log.gz}. */
    record RolledFiles(String pattern, String glob) {
        static RolledFiles of(Path file, boolean compress) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            String extension = dot > 0 ? name.substring(dot) : "";
            String suffix = extension + (compress ? ".gz" : "");
            // '%' would be read as a conversion, '${' as a lookup.
            String directory = file.getParent().toString() + file.getFileSystem().getSeparator();
            String pattern = literal(directory + base) + "-%d{yyyy-MM-dd}-%i" + literal(suffix);
            String glob = base + "-????-??-??-*" + extension + "*";
            return new RolledFiles(pattern, glob);
        }

        private static String literal(String text) {
            return lookupsEscaped(text.replace("%", "%%"));
        }
    }

    /** The text as it must be given to log4j2 for it to come out unchanged: {@code ${} starts a lookup. */
    static String lookupsEscaped(String text) {
        return text.replace("${", "$${");
    }
}
