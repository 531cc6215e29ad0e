package io.aigateway.webapp;

import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigLoader;
import io.aigateway.config.GatewayConfig;
import io.aigateway.log.SecretRedactor;
import io.aigateway.store.ConfigMerge;
import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreHealth;
import io.aigateway.store.StoreRepository;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps the gateway's snapshot equal to the config file merged with the store: reloads the file when it changes
 * (or on {@code POST /admin/reload}), follows changes other instances made to the store (the config version), and
 * applies this instance's admin changes. A file or merge that does not validate is refused with its field paths,
 * in the log and in {@link #lastReload()}, and the running snapshot stays.
 */
public final class LiveConfig implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LiveConfig.class);

    /** The servlet context attribute that holds it. */
    public static final String ATTRIBUTE = LiveConfig.class.getName();

    /**
     * How the last reload went.
     *
     * @param trigger {@code startup}, {@code file}, {@code admin}, {@code store}, {@code api} or {@code jmx}
     * @param error   every problem with its field path, or null when it was applied
     */
    public record Reload(Instant at, String trigger, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final Path file;
    private final ConfigLoader loader;
    private final StoreRepository store;
    private final Gateway gateway;
    private final Clock clock;
    private GatewayConfig fileConfig;
    private byte[] fileDigest;
    private long storeVersion;
    private volatile Reload lastReload;
    private ScheduledExecutorService scheduler;
    private volatile StoreHealth health;
    private final java.util.List<java.util.function.Consumer<String>> refusalListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param fileConfig the file as loaded at startup; the gateway already runs it merged with {@code contents}
     * @param store      null when the gateway has no store
     */
    public LiveConfig(Path file, ConfigLoader loader, GatewayConfig fileConfig, StoreRepository store,
            StoreContents contents, Gateway gateway, Clock clock) {
        this.file = file;
        this.loader = loader;
        this.fileConfig = fileConfig;
        this.store = store;
        this.gateway = gateway;
        this.clock = clock;
        this.fileDigest = digest(file);
        this.storeVersion = contents.version();
        this.lastReload = new Reload(clock.instant(), "startup", null);
    }

    /** Checks the file and the store version every {@code reload.poll_interval} on a thread of its own. */
    public synchronized void startPolling() {
        long millis = fileConfig.reload().pollInterval().toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aigateway-reload");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Where the poller reports whether the store answered (it is the store's heartbeat while no request comes). */
    public void reportTo(StoreHealth health) {
        this.health = health;
    }

    /** One round of the poller: the file when watched, then the store's version. */
    public void poll() {
        try {
            if (fileConfig.reload().watch()) {
                checkFile();
            }
        } catch (RuntimeException x) {
            LOG.warn("Config file check failed: {}", x.toString());
        }
        try {
            pollStore();
            if (store != null && health != null) {
                health.succeeded();
            }
        } catch (RuntimeException x) {
            // The poller must survive a database that is away; the next round tries again.
            if (health == null || !health.failed(x)) {
                LOG.warn("Config poll failed: {}", x.toString());
            }
        }
    }

    /** Reloads the file if its content changed since it was last read; returns whether it did. */
    public synchronized boolean checkFile() {
        byte[] now = digest(file);
        if (Arrays.equals(now, fileDigest)) {
            return false;
        }
        reloadFile("file");
        return true;
    }

    /**
     * Reads the file again and applies it merged with the store.
     *
     * @return how it went; when refused, the running config stays
     */
    public synchronized Reload reloadFile(String trigger) {
        byte[] read = digest(file);
        try {
            GatewayConfig loaded = loader.load(file);
            StoreContents contents = contents();
            apply(ConfigMerge.merge(loaded, contents), trigger);
            fileConfig = loaded;
            storeVersion = contents.version();
        } catch (ConfigException x) {
            refused(trigger, x.getMessage());
        }
        // Not before: when the store could not be read, the file counts as unread and the next round tries again.
        fileDigest = read;
        return lastReload;
    }

    /** Applies the store's contents when another instance changed them; returns whether it did. */
    public synchronized boolean pollStore() {
        if (store == null || store.version() == storeVersion) {
            return false;
        }
        refreshFromStore("store");
        return true;
    }

    /**
     * Runs an admin change under the lock that orders all changes of this instance: {@code change} gets what the
     * store holds now, checks its candidate with {@link #check} and writes it; the result is applied at once.
     */
    public synchronized <T> T change(Function<StoreContents, T> change) {
        T result = change.apply(contents());
        refreshFromStore("admin");
        return result;
    }

    /**
     * The config the gateway would run with the store holding {@code candidate}.
     *
     * @throws ConfigException naming what the candidate breaks
     */
    public synchronized GatewayConfig check(StoreContents candidate) {
        return ConfigMerge.merge(fileConfig, candidate);
    }

    /** The config file as last loaded successfully. */
    public synchronized GatewayConfig fileConfig() {
        return fileConfig;
    }

    public Path file() {
        return file;
    }

    public Reload lastReload() {
        return lastReload;
    }

    public synchronized long storeVersion() {
        return storeVersion;
    }

    public StoreRepository store() {
        return store;
    }

    private void refreshFromStore(String trigger) {
        try {
            StoreContents contents = contents();
            apply(ConfigMerge.merge(fileConfig, contents), trigger);
            storeVersion = contents.version();
        } catch (ConfigException | IllegalStateException | IllegalArgumentException x) {
            refused(trigger, x.getMessage());
        }
    }

    private StoreContents contents() {
        return store == null ? StoreContents.empty() : store.load();
    }

    private void apply(GatewayConfig merged, String trigger) {
        SecretRedactor.rememberSecrets(GatewayContextListener.secretsOf(merged));
        gateway.apply(merged);
        lastReload = new Reload(clock.instant(), trigger, null);
        LOG.info("Config reloaded ({}): {} tenants, {} backends", trigger, merged.tenants().size(),
                merged.backends().size());
    }

    private void refused(String trigger, String error) {
        lastReload = new Reload(clock.instant(), trigger, error);
        LOG.error("Config reload ({}) refused, the running config stays: {}", trigger, error);
        refusalListeners.forEach(listener -> listener.accept(error));
    }

    /** Called with every problem of each refused reload (notifications subscribe). */
    public void addRefusalListener(java.util.function.Consumer<String> listener) {
        refusalListeners.add(listener);
    }

    private static byte[] digest(Path file) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException x) {
            return new byte[0];
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
