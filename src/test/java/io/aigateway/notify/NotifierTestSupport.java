package io.aigateway.notify;

import io.aigateway.config.ConfigLoader;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.NotificationChannelConfig;
import io.aigateway.config.NotificationEventType;
import io.aigateway.config.NotificationsConfig;
import io.aigateway.registry.Registry;
import io.aigateway.routing.health.HealthRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the notifier tests share: a small gateway config, notifiers with quick retries, waiting for a condition. */
final class NotifierTestSupport {

    /** One backend with two models; {@code gpt-4o} is also served by a second backend. */
    static final GatewayConfig GATEWAY = new ConfigLoader(Map.<String, String>of()::get).parse("""
            tenants: [{name: t, keys: [tenant-key-1], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "http://127.0.0.1:9/v1", keys: [sk-backend-secret-a1],
                 models: [gpt-4o, gpt-4o-mini], quota_group: shared,
                 circuit_breaker: {consecutive_failures: 1, half_open_calls: 1}}
              - {name: b, flavor: openai, endpoint: "http://127.0.0.2:9/v1", models: [gpt-4o]}
            """, "test.yaml");

    /** Retries 10 ms apart, so that a test of three retries takes no time worth waiting for. */
    static final Notifier.Settings QUICK = new Notifier.Settings(Duration.ofSeconds(2), 3, Duration.ofMillis(10), 100);

    private NotifierTestSupport() {
    }

    static NotificationsConfig config(List<NotificationChannelConfig> channels, Set<NotificationEventType> events,
            Duration minInterval) {
        return new NotificationsConfig(channels, events, minInterval);
    }

    static NotificationsConfig config(NotificationChannelConfig... channels) {
        return config(List.of(channels), EnumSet.allOf(NotificationEventType.class), Duration.ofMinutes(5));
    }

    static Notifier notifier(NotificationsConfig config, Clock clock) {
        Registry registry = Registry.of(GATEWAY);
        return new Notifier(config, clock, () -> registry, new HealthRegistry(clock), QUICK);
    }

    static Notification notification(NotificationEventType type, String subject, String text) {
        return new Notification(type, subject, text, Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Waits up to 10 s for something another thread does. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
