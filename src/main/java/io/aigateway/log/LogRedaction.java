package io.aigateway.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

import java.beans.PropertyChangeListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts {@link SecretRedactor} in front of every appender of the log4j2 configuration in force, whatever file it
 * came from (the gateway's default, an operator's, a container's), and again whenever log4j2 reconfigures. Logging
 * code never has to remember to redact: nothing reaches an appender unredacted.
 */
public final class LogRedaction {
    private static final String SUFFIX = "#redacted";
    private static final RewritePolicy POLICY = LogRedaction::redact;

    private LogRedaction() {
    }

    /** Installs the redaction on the log4j2 context of the caller's class loader. Idempotent. */
    public static synchronized void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context))
            return;
        wrap(context.getConfiguration());
        context.updateLoggers();
        if (!Boolean.TRUE.equals(context.getObject(LogRedaction.class.getName()))) {
            context.putObject(LogRedaction.class.getName(), Boolean.TRUE);
            PropertyChangeListener listener = event -> {
                // updateLoggers() reports the same configuration as old and new: only a new configuration needs wrapping.
                if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName()) && event.getOldValue() != event.getNewValue()
                    && event.getNewValue() instanceof Configuration configuration) {
                    synchronized (LogRedaction.class) {
                        wrap(configuration);
                        context.updateLoggers();
                    }
                }
            };
            context.addPropertyChangeListener(listener);
        }
    }

    private static LogEvent redact(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        String redacted = SecretRedactor.redact(message);
        Throwable thrown = event.getThrown();
        Throwable safeThrown = thrown == null ? null : RedactedThrowable.of(thrown);
        if (redacted == message && safeThrown == thrown)
            return event;
        return new Log4jLogEvent.Builder(event).setMessage(new SimpleMessage(redacted)).setThrown(safeThrown).build();
    }

    /** Puts the redaction in front of every appender of that configuration. Idempotent. */
    static void wrap(Configuration configuration) {
        List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
        if (!loggers.contains(configuration.getRootLogger()))
            loggers.add(configuration.getRootLogger());
        for (LoggerConfig logger : loggers) {
            for (String name : List.copyOf(logger.getAppenders().keySet())) {
                if (name.endsWith(SUFFIX))
                    continue;
                AppenderRef ref = logger.getAppenderRefs().stream().filter(r -> r.getRef().equals(name)).findFirst().orElse(null);
                Appender redacting = configuration.getAppender(name + SUFFIX);
                if (redacting == null) {
                    redacting = RewriteAppender.createAppender(name + SUFFIX, "true",
                        new AppenderRef[] {AppenderRef.createAppenderRef(name, null, null)}, configuration, POLICY, null);
                    redacting.start();
                    configuration.addAppender(redacting);
                }
                logger.removeAppender(name);
                logger.addAppender(redacting, ref == null ? null : ref.getLevel(), ref == null ? null : ref.getFilter());
            }
        }
    }
}
