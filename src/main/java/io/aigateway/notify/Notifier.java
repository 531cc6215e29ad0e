package io.aigateway.notify;

import io.aigateway.config.Durations;
import io.aigateway.config.NotificationsConfig;
import io.aigateway.log.SecretRedactor;
import io.aigateway.registry.Registry;
import io.aigateway.routing.HealthTracker;
import io.aigateway.routing.health.CircuitBreaker;
import io.aigateway.routing.health.HealthEvent;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.webapp.Gateway;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sends notifications to the configured channels, off the request path. Listeners only put the event into a bounded
 * queue (dropping it, counted, when the queue is full); one thread of the notifier's own turns events into
 * notifications, suppresses repeats of the same event and subject within {@code notifications.min_interval} (on
 * the gateway's clock), and sends each to every channel with the JDK's {@link HttpClient}: each attempt with a
 * timeout, up to {@link Settings#maxRetries()} retries with exponential backoff, channels independent of each
 * other. {@link #close()} stops every thread it started.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Notifier.class);
    /** Messages being sent or waiting for a retry at once, beyond which new ones are dropped (and counted). */
    private static final int MAX_IN_FLIGHT = 1000;

    /**
     * How sending behaves.
     *
     * @param timeout       how long one attempt may take until the response headers arrive (also the connect
     *                      timeout)
     * @param maxRetries    retries after a failed first attempt (a connection failure, a timeout, a 429 or a 5xx);
     *                      other 4xx answers are not retried
     * @param backoff       the wait before the first retry, doubled before each next one
     * @param queueCapacity events waiting to be processed before new ones are dropped
     */
    public record Settings(Duration timeout, int maxRetries, Duration backoff, int queueCapacity) {
        /** One attempt may take this long. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        /** So four attempts in all. */
        public static final int DEFAULT_MAX_RETRIES = 3;
        /** Then 2 s and 4 s. */
        public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
        /** Far more than an outage of every deployment gives at once, after deduplication. */
        public static final int DEFAULT_QUEUE_CAPACITY = 1000;

        public Settings {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(backoff, "backoff");
            if (maxRetries < 0 || queueCapacity < 1) {
                throw new IllegalArgumentException("maxRetries must not be negative and queueCapacity positive");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_BACKOFF, DEFAULT_QUEUE_CAPACITY);
        }
    }

    private final NotificationsConfig config;
    private final Settings settings;
    private final List<NotificationChannel> channels;
    private final EventTranslator translator;
    private final Deduplicator deduplicator;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger sending = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ScheduledExecutorService worker;
    private final ExecutorService httpExecutor;
    private volatile HttpClient client;
    private volatile boolean closed;
    private HealthRegistry subscribedTo;
    private CircuitBreaker.Listener breakerListener;
    private HealthEvent.Listener healthListener;

    /**
     * A notifier that is not subscribed to anything yet: {@link #start(Gateway)} subscribes one to a gateway.
     * Starts no thread when the config has no channel or no event.
     *
     * @param registry the current registry, to find the deployments of each public model
     * @param health   whether each deployment is available
     */
    public Notifier(NotificationsConfig config, Clock clock, Supplier<Registry> registry, HealthTracker health,
            Settings settings) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.channels = config.channels().stream()
                .map(channel -> Channels.of(channel, clock, settings.timeout())).toList();
        this.translator = new EventTranslator(registry, health);
        this.deduplicator = new Deduplicator(clock, config.minInterval());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        if (config.enabled()) {
            worker = Executors.newSingleThreadScheduledExecutor(threads("aigateway-notify"));
            // The client runs its callbacks here, so that none of its threads outlives close() but its selector.
            httpExecutor = Executors.newFixedThreadPool(2, threads("aigateway-notify-http"));
            client = HttpClient.newBuilder()
                    .executor(httpExecutor)
                    .connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } else {
            worker = null;
            httpExecutor = null;
            client = null;
        }
    }

    /**
     * Starts notifying about the gateway's health and circuit breaker events (when its health is the default
     * {@link HealthRegistry}), per its config's {@code notifications} section, read once.
     */
    public static Notifier start(Gateway gateway) {
        NotificationsConfig config = gateway.config().notifications();
        Notifier notifier = new Notifier(config, gateway.clock(), gateway::registry, gateway.health(),
                Settings.defaults());
        if (!config.enabled()) {
            return notifier;
        }
        if (gateway.health() instanceof HealthRegistry health) {
            notifier.subscribe(health);
        } else {
            LOG.warn("Notifications hear no health events: the gateway's health tracker is {}",
                    gateway.health().getClass().getName());
        }
        LOG.info("Notifications to {} for events {} (at most one per event and subject every {})",
                notifier.channels.stream().map(NotificationChannel::describe).toList(),
                config.events().stream().map(e -> e.configName()).toList(), Durations.format(config.minInterval()));
        return notifier;
    }

    /** Hears the registry's breaker transitions and health events from now until {@link #close()}. */
    public synchronized void subscribe(HealthRegistry health) {
        if (subscribedTo != null || worker == null) {
            return;
        }
        breakerListener = this::offer;
        healthListener = this::offer;
        health.addBreakerListener(breakerListener);
        health.addHealthListener(healthListener);
        subscribedTo = health;
    }

    /**
     * Sends a notification made elsewhere (config reloads, the request log), subject to the same filter,
     * deduplication and queue. Never blocks.
     */
    public void publish(Notification notification) {
        offer(Objects.requireNonNull(notification, "notification"));
    }

    /** Events dropped because the queue was full, and messages dropped because too many were being sent. */
    public long dropped() {
        return dropped.sum();
    }

    /** Notifications not sent because the same event and subject was sent less than {@code min_interval} ago. */
    public long suppressed() {
        return suppressed.sum();
    }

    /** Messages a channel accepted (one per channel). */
    public long delivered() {
        return delivered.sum();
    }

    /** Messages a channel did not accept after every retry (one per channel). */
    public long failed() {
        return failed.sum();
    }

    // Called on the thread that caused the event, often a request's: no more than a queue offer.
    private void offer(Object event) {
        if (closed || worker == null) {
            return;
        }
        if (!queue.offer(event)) {
            dropped.increment();
            return;
        }
        if (draining.compareAndSet(false, true)) {
            try {
                worker.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
            }
        }
    }

    private void drain() {
        do {
            Object event;
            while ((event = queue.poll()) != null && !closed) {
                dispatch(event);
            }
            draining.set(false);
        } while (!closed && !queue.isEmpty() && draining.compareAndSet(false, true));
    }

    private void dispatch(Object event) {
        List<Notification> notifications;
        try {
            notifications = translator.translate(event);
        } catch (RuntimeException e) {
            LOG.warn("Could not turn {} into notifications", event, e);
            return;
        }
        for (Notification notification : notifications) {
            if (!config.sends(notification.type())) {
                continue;
            }
            if (!deduplicator.admit(notification.key())) {
                suppressed.increment();
                continue;
            }
            Notification redacted = new Notification(notification.type(),
                    SecretRedactor.redact(notification.subject()), SecretRedactor.redact(notification.text()),
                    notification.at());
            for (NotificationChannel channel : channels) {
                deliver(channel, redacted);
            }
        }
    }

    private void deliver(NotificationChannel channel, Notification notification) {
        if (sending.incrementAndGet() > MAX_IN_FLIGHT) {
            sending.decrementAndGet();
            dropped.increment();
            return;
        }
        HttpRequest request;
        try {
            request = channel.request(notification);
        } catch (RuntimeException e) {
            finish(channel, notification, 1, "the request could not be made: " + e.getClass().getSimpleName());
            return;
        }
        attempt(channel, notification, request, 0);
    }

    private void attempt(NotificationChannel channel, Notification notification, HttpRequest request, int retry) {
        HttpClient current = client;
        if (closed || current == null) {
            sending.decrementAndGet();
            return;
        }
        try {
            current.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> completed(channel, notification, request, retry,
                            response == null ? -1 : response.statusCode(), failure));
        } catch (RuntimeException e) {
            completed(channel, notification, request, retry, -1, e);
        }
    }

    private void completed(NotificationChannel channel, Notification notification, HttpRequest request, int retry,
            int status, Throwable failure) {
        if (failure == null && status >= 200 && status < 300) {
            delivered.increment();
            sending.decrementAndGet();
            return;
        }
        String why = failure != null ? failure.getClass().getSimpleName() : "HTTP " + status;
        boolean retryable = failure != null || status == 429 || status >= 500;
        if (retryable && retry < settings.maxRetries() && !closed) {
            long delay = settings.backoff().toMillis() << retry;
            try {
                worker.schedule(() -> attempt(channel, notification, request, retry + 1), delay,
                        TimeUnit.MILLISECONDS);
                LOG.debug("Notification {} to {} failed ({}): retry {} in {} ms", notification.type().configName(),
                        channel.describe(), why, retry + 1, delay);
                return;
            } catch (RejectedExecutionException e) {
                // Closing: nothing more is sent.
            }
        }
        finish(channel, notification, retry + 1, why);
    }

    private void finish(NotificationChannel channel, Notification notification, int attempts, String why) {
        sending.decrementAndGet();
        if (closed) {
            return;
        }
        failed.increment();
        LOG.warn("Notification {} about {} to {} failed after {} attempt(s): {}", notification.type().configName(),
                notification.subject(), channel.describe(), attempts, why);
    }

    /**
     * Unsubscribes, drops what is still queued or being retried, and stops the notifier's threads. On Java 21 and
     * later the HTTP client is shut down too; on Java 17 its selector thread ends by itself within seconds once
     * the client is garbage collected, which dropping the reference here allows.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (subscribedTo != null) {
            subscribedTo.removeBreakerListener(breakerListener);
            subscribedTo.removeHealthListener(healthListener);
            subscribedTo = null;
        }
        queue.clear();
        if (worker == null) {
            return;
        }
        worker.shutdownNow();
        httpExecutor.shutdownNow();
        HttpClient closing = client;
        client = null;
        shutDownClient(closing);
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS) || !httpExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Notification threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // HttpClient.shutdownNow() exists from Java 21 on; the build targets 17.
    private static void shutDownClient(HttpClient client) {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (NoSuchMethodException e) {
            // Java 17: the selector thread stops once the client is unreachable.
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not shut the notification HTTP client down", e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The channels of the config, in its order: for tests and the startup log. */
    List<NotificationChannel> channels() {
        return channels;
    }
}
