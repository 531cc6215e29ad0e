package io.aigateway.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every line logged in this JVM's logger context while it is open, as {@code logger level message} plus the stack
 * trace, from an appender on the root logger at {@code level} (which the root logger is set to meanwhile).
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext)LogManager.getContext(false);
    private final AbstractAppender appender;
    private final Level rootLevel;

    private LogCapture(Level level) {
        appender = new AbstractAppender("capture-" + System.identityHashCode(this), null,
                PatternLayout.createDefaultLayout(), true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getLevel())
                        .append(' ').append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                lines.add(line.toString());
            }
        };
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        LoggerConfig root = configuration.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, level, null);
        if (level.isLessSpecificThan(rootLevel)) {
            root.setLevel(level);
        }
        context.updateLoggers();
    }

    /** Captures from now on, at {@code level} and above. */
    public static LogCapture start(Level level) {
        return new LogCapture(level);
    }

    public List<String> lines() {
        return lines;
    }

    /** Whether a line so far holds the text. */
    public boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(appender.getName());
        root.setLevel(rootLevel);
        context.updateLoggers();
        appender.stop();
    }
}
