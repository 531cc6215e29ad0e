package io.aigateway.webapp;

import io.aigateway.admin.jmx.GatewayMBeans;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigLoader;
import io.aigateway.config.ConfigLocator;
import io.aigateway.config.ConfigSource;
import io.aigateway.config.GatewayConfig;
import io.aigateway.log.LogRedaction;
import io.aigateway.log.SecretRedactor;
import io.aigateway.metrics.GatewayMetrics;
import io.aigateway.metrics.MetricsServlet;
import io.aigateway.notify.Notifier;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and validates the config when the web application starts and publishes the {@link Gateway}. An invalid
 * config fails the deployment with every problem and its field path: nothing starts half-configured.
 */
public final class GatewayContextListener implements ServletContextListener {
    private static final Logger LOG = LogManager.getLogger(GatewayContextListener.class);

    /** The servlet context attribute through which embedding code may give the gateway its {@link Clock}. */
    public static final String CLOCK_ATTRIBUTE = "io.aigateway.clock";

    private GatewayMetrics metrics;
    private GatewayMBeans mbeans;
    private Notifier notifier;
    private io.aigateway.limits.Limits limits;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        // First, so that nothing logged from here on, by the gateway or by Jetty, can carry a key.
        LogRedaction.install();
        ServletContext context = event.getServletContext();
        ConfigSource source;
        GatewayConfig config;
        try {
            source = ConfigLocator.forCurrentProcess(context::getInitParameter).locate();
            config = new ConfigLoader(System::getenv).load(source.path());
        } catch (ConfigException x) {
            LOG.error("Refusing to start: {}", x.getMessage());
            throw x;
        }
        SecretRedactor.rememberSecrets(secretsOf(config));
        Gateway gateway = new Gateway(config, clock(context));
        context.setAttribute(Gateway.ATTRIBUTE, gateway);
        limits = io.aigateway.limits.Limits.start(config.limits(), gateway.clock());
        context.setAttribute(io.aigateway.limits.Limits.ATTRIBUTE, limits);
        metrics = GatewayMetrics.start(gateway);
        MetricsServlet.register(context, metrics, config.metrics().path());
        metrics.watch(limits.rateLimiter());
        mbeans = GatewayMBeans.register(gateway, source.path() + " (" + source.via() + ")", limits.quotas());
        notifier = Notifier.start(gateway);
        context.setAttribute(Notifier.class.getName(), notifier);
        LOG.info("AI Gateway started with {} (found through {}): {} tenants, {} backends, {} public models",
            source.path(), source.via(), config.tenants().size(), config.backends().size(), gateway.registry().publicModels().size());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // Nothing registered outside this web application may outlive it: the MBean server would pin its classes.
        if (notifier != null)
            notifier.close();
        event.getServletContext().removeAttribute(Notifier.class.getName());
        if (mbeans != null)
            mbeans.close();
        if (limits != null)
            limits.close();
        event.getServletContext().removeAttribute(io.aigateway.limits.Limits.ATTRIBUTE);
        if (metrics != null)
            metrics.close();
        event.getServletContext().removeAttribute(Gateway.ATTRIBUTE);
        LOG.info("AI Gateway stopped");
    }

    /**
     * The clock every policy reads: the system's, unless the code embedding the webapp set one as the context
     * attribute {@value #CLOCK_ATTRIBUTE} (tests move time this way instead of waiting for it).
     */
    private static Clock clock(ServletContext context) {
        return context.getAttribute(CLOCK_ATTRIBUTE) instanceof Clock clock ? clock : Clock.systemUTC();
    }

    /**
     * Every value of the config that must never be printed: backend keys and backend header values, notification
     * tokens and secrets, and the webhook URLs that carry tokens.
     */
    static List<String> secretsOf(GatewayConfig config) {
        List<String> secrets = new ArrayList<>();
        for (BackendConfig backend : config.backends()) {
            secrets.addAll(backend.keys());
            secrets.addAll(backend.headers().values());
        }
        secrets.addAll(config.notifications().secrets());
        return secrets;
    }

    /** The gateway of this web application. */
    public static Gateway gateway(ServletContext context) {
        Gateway gateway = (Gateway)context.getAttribute(Gateway.ATTRIBUTE);
        if (gateway == null)
            throw new IllegalStateException("The gateway is not running: GatewayContextListener did not start it");
        return gateway;
    }
}
