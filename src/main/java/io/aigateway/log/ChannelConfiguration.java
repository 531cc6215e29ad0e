package io.aigateway.log;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.builder.api.Component;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The log4j2 configuration {@link LogChannels} builds, redacted from birth: the redaction is put in front of its
 * appenders while it is configured, before any logger can use it, rather than after the context switches to it.
 */
public final class ChannelConfiguration extends BuiltConfiguration {

    /** Called by log4j2's configuration builder. */
    public ChannelConfiguration(LoggerContext context, ConfigurationSource source, Component root) {
        super(context, source, root);
    }

    @Override
    protected void doConfigure() {
        super.doConfigure();
        LogRedaction.wrap(this);
    }
}
