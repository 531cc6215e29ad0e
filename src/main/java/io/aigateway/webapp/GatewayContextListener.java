package io.aigateway.webapp;

import io.aigateway.admin.AdminServlet;
import io.aigateway.admin.jmx.GatewayMBeans;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigLoader;
import io.aigateway.config.ConfigLocator;
import io.aigateway.config.ConfigSource;
import io.aigateway.config.GatewayConfig;
import io.aigateway.log.LogChannels;
import io.aigateway.log.LogRedaction;
import io.aigateway.log.SecretRedactor;
import io.aigateway.metrics.GatewayMetrics;
import io.aigateway.metrics.MetricsServlet;
import io.aigateway.notify.Notification;
import io.aigateway.notify.Notifier;
import io.aigateway.notify.QuotaWatch;
import io.aigateway.config.NotificationEventType;
import io.aigateway.requestlog.RequestLog;
import io.aigateway.requestlog.RequestLogLine;
import io.aigateway.store.ConfigMerge;
import io.aigateway.store.MasterKey;
import io.aigateway.store.Store;
import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreDataSource;
import io.aigateway.store.StoreHealth;
import io.aigateway.store.StoreRepository;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads and validates the config when the web application starts and publishes the {@link Gateway}. An invalid
 * config fails the deployment with every problem and its field path: nothing starts half-configured.
 */
public final class GatewayContextListener implements ServletContextListener {
    private static final Logger LOG = LogManager.getLogger(GatewayContextListener.class);

    /** The servlet context attribute through which embedding code may give the gateway its {@link Clock}. */
    public static final String CLOCK_ATTRIBUTE = "io.aigateway.clock";

    /**
     * The context parameter through which the standalone launcher names the store's database: a JDBC URL
     * ({@code --database}) or {@value StoreDataSource#EMBEDDED} for the H2 file under {@code data/}. A WAR in a
     * container has none, so it opens a store only when {@code store} or the JNDI DataSource says so.
     */
    public static final String DATABASE_PARAMETER = "aigateway.database";

    /** The servlet context attribute holding where the store's connections come from (for the admin status). */
    public static final String STORE_DESCRIPTION_ATTRIBUTE = "io.aigateway.store";

    private GatewayMetrics metrics;
    private GatewayMBeans mbeans;
    private Notifier notifier;
    private LogChannels logChannels;
    private Store store;
    private LiveConfig live;
    private RequestLog requestLog;
    private RequestLogLine requestLine;
    private io.aigateway.limits.Limits limits;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        // First, so that nothing logged from here on, by the gateway or by Jetty, can carry a key.
        LogRedaction.install();
        ServletContext context = event.getServletContext();
        ConfigSource source;
        GatewayConfig config;
        ConfigLoader loader = new ConfigLoader(System::getenv);
        Clock clock = clock(context);
        StoreRepository repository = null;
        StoreContents contents = StoreContents.empty();
        try {
            source = ConfigLocator.forCurrentProcess(context::getInitParameter).locate();
            config = loader.load(source.path());
            // Before anything else is started, so that what they log lands in the channels.
            logChannels = startLogChannels(config, source.path()).orElse(null);
            StoreDataSource dataSource = StoreDataSource.resolve(config.store(),
                context.getInitParameter(DATABASE_PARAMETER), Path.of("data"));
            if (dataSource != null) {
                store = Store.open(dataSource);
                repository = new StoreRepository(store, MasterKey.resolve(config.store()), clock);
                contents = repository.load();
                context.setAttribute(STORE_DESCRIPTION_ATTRIBUTE, store.description());
                LOG.info("Store: {} (config version {})", store.description(), contents.version());
            }
        } catch (ConfigException x) {
            LOG.error("Refusing to start: {}", x.getMessage());
            abandonStart();
            throw x;
        } catch (RuntimeException x) {
            LOG.error("Refusing to start: the store cannot be opened: {}", x.toString());
            abandonStart();
            throw x;
        }
        GatewayConfig merged;
        try {
            merged = ConfigMerge.merge(config, contents);
        } catch (ConfigException x) {
            LOG.error("Refusing to start: {}", x.getMessage());
            abandonStart();
            throw x;
        }
        SecretRedactor.rememberSecrets(secretsOf(config));
        SecretRedactor.rememberSecrets(secretsOf(merged));
        Gateway gateway = new Gateway(merged, clock);
        context.setAttribute(Gateway.ATTRIBUTE, gateway);
        live = new LiveConfig(source.path(), loader, config, repository, contents, gateway, clock);
        context.setAttribute(LiveConfig.ATTRIBUTE, live);
        StoreHealth storeHealth = repository == null ? null : new StoreHealth(clock);
        if (storeHealth != null) {
            live.reportTo(storeHealth);
            context.setAttribute(StoreHealth.ATTRIBUTE, storeHealth);
        }
        // Quota counters live in the store when there is one, else in limits.state_file.
        limits = io.aigateway.limits.Limits.start(config.limits(), gateway.clock(),
            repository == null ? null : repository.quotaCounters());
        context.setAttribute(io.aigateway.limits.Limits.ATTRIBUTE, limits);
        metrics = GatewayMetrics.start(gateway);
        MetricsServlet.register(context, metrics, config.metrics().path());
        metrics.watch(limits.rateLimiter());
        if (storeHealth != null)
            metrics.watch(storeHealth);
        mbeans = GatewayMBeans.register(gateway, source.path() + " (" + source.via() + ")", limits.quotas());
        LiveConfig reloadable = live;
        mbeans.reloadThrough(() -> {
            LiveConfig.Reload reload = reloadable.reloadFile("jmx");
            return reload.ok() ? "applied" : "refused: " + reload.error();
        });
        notifier = Notifier.start(gateway);
        context.setAttribute(Notifier.class.getName(), notifier);
        Notifier notify = notifier;
        gateway.addRequestListener(new QuotaWatch(notify::publish));
        live.addRefusalListener(error -> notify.publish(new Notification(NotificationEventType.CONFIG_RELOAD_FAILED,
            source.path().toString(), "Config reload refused, the running config stays: " + error, clock.instant())));
        if (config.requestLog().enabled()) {
            requestLine = new RequestLogLine();
            requestLine.exportTo(metrics.registry());
            gateway.addRequestListener(requestLine);
            if (repository != null) {
                requestLog = RequestLog.start(repository.requestLog(), config.requestLog(), clock, metrics.registry(),
                    storeHealth);
                gateway.addRequestListener(requestLog.writer());
                requestLog.addDropListener(dropped -> notify.publish(new Notification(
                    NotificationEventType.REQUEST_LOG_DROPS, "request_log", dropped
                        + " request log rows were dropped: the database does not keep up", clock.instant())));
                context.setAttribute(RequestLog.class.getName(), requestLog);
            }
        }
        AdminServlet.register(context, config.admin().path());
        live.startPolling();
        LOG.info("AI Gateway started with {} (found through {}): {} tenants, {} backends, {} public models",
            source.path(), source.via(), merged.tenants().size(), merged.backends().size(), gateway.registry().publicModels().size());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // Nothing registered outside this web application may outlive it: the MBean server would pin its classes.
        if (live != null)
            live.close();
        // Before the store closes: the queued rows are written on shutdown.
        if (requestLog != null)
            requestLog.close();
        if (requestLine != null)
            requestLine.close();
        requestLine = null;
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
        closeStore();
        event.getServletContext().removeAttribute(Gateway.ATTRIBUTE);
        event.getServletContext().removeAttribute(LiveConfig.ATTRIBUTE);
        event.getServletContext().removeAttribute(StoreHealth.ATTRIBUTE);
        LOG.info("AI Gateway stopped");
        // Last: it drains the channels, whose writer threads would otherwise outlive the web application.
        if (logChannels != null)
            logChannels.close();
        logChannels = null;
    }

    /** The {@code logging} section in force in this web application's logger context, when there is one. */
    private static Optional<LogChannels> startLogChannels(GatewayConfig config, Path configFile) {
        if (!(LogManager.getContext(false) instanceof LoggerContext context))
            return Optional.empty();
        return LogChannels.start(context, config.logging(), configFile.toAbsolutePath().getParent());
    }

    /** Closes what a start that failed half-way had opened: the store, its drivers and the log channels. */
    private void abandonStart() {
        closeStore();
        if (logChannels != null)
            logChannels.close();
        logChannels = null;
    }

    private void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
        deregisterDrivers();
    }

    /** JDBC drivers this web application loaded would pin its class loader in DriverManager after a redeploy. */
    private static void deregisterDrivers() {
        ClassLoader webapp = GatewayContextListener.class.getClassLoader();
        // Only when the gateway's classes are the web application's own: an embedding code's class path (tests,
        // parent-first loading) shares its drivers with everything else in the JVM.
        if (webapp != Thread.currentThread().getContextClassLoader())
            return;
        for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == webapp) {
                try {
                    java.sql.DriverManager.deregisterDriver(driver);
                } catch (java.sql.SQLException x) {
                    LOG.debug("Could not deregister {}", driver, x);
                }
            }
        }
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
        if (config.store().password() != null)
            secrets.add(config.store().password());
        if (config.store().masterKey() != null)
            secrets.add(config.store().masterKey());
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
