package io.aigateway.notify;

import static io.aigateway.notify.NotifierTestSupport.await;
import static io.aigateway.notify.NotifierTestSupport.config;
import static io.aigateway.notify.NotifierTestSupport.notification;
import static io.aigateway.notify.NotifierTestSupport.notifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aigateway.config.NotificationChannelConfig;
import io.aigateway.config.NotificationChannelType;
import io.aigateway.config.NotificationEventType;
import io.aigateway.log.SecretRedactor;
import io.aigateway.notify.Receiver.Received;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deduplication, the events filter, retries, isolation of channels, the bounded queue and shutdown. */
class NotifierTest {

    private static NotificationChannelConfig webhook(Receiver receiver) {
        return new NotificationChannelConfig(NotificationChannelType.WEBHOOK, receiver.url("/hook"));
    }

    private static String subjectOf(Received received) {
        return Json.parse(received.body()).getString("subject");
    }

    @Test
    void sameEventAndSubjectWithinMinIntervalIsSentOnceAndAgainAfterIt() {
        TestClock clock = new TestClock();
        try (Receiver receiver = Receiver.start(); Notifier notifier = notifier(config(webhook(receiver)), clock)) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened again"));
            // A different subject is its own key, and, handled after the repeat, shows the repeat was handled.
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "b/gpt-4o", "opened"));

            assertEquals(Set.of("a/gpt-4o", "b/gpt-4o"), Set.of(subjectOf(receiver.take()), subjectOf(receiver.take())));
            assertEquals(1, notifier.suppressed());

            clock.advance(Duration.ofMinutes(4).plusSeconds(59));
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "still open"));
            await(() -> notifier.suppressed() == 2, "the repeat within 5m to be suppressed");

            clock.advance(Duration.ofSeconds(1));
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened once more"));
            Received again = receiver.take();
            assertEquals("a/gpt-4o", subjectOf(again));
            assertTrue(again.body().contains("opened once more"), again.body());
            assertEquals(3, receiver.attempts());
        }
    }

    @Test
    void anotherEventAboutTheSameSubjectIsNotARepeat() {
        try (Receiver receiver = Receiver.start();
             Notifier notifier = notifier(config(webhook(receiver)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.DEPLOYMENT_DOWN, "a/gpt-4o", "down"));
            notifier.publish(notification(NotificationEventType.DEPLOYMENT_RECOVERED, "a/gpt-4o", "back"));

            receiver.take();
            receiver.take();
            assertEquals(0, notifier.suppressed());
        }
    }

    @Test
    void onlyTheConfiguredEventsAreSent() {
        try (Receiver receiver = Receiver.start();
             Notifier notifier = notifier(config(List.of(webhook(receiver)),
                     EnumSet.of(NotificationEventType.MODEL_UNAVAILABLE), Duration.ofMinutes(5)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));
            notifier.publish(notification(NotificationEventType.MODEL_UNAVAILABLE, "gpt-4o", "unavailable"));

            Received got = receiver.take();
            assertEquals("model_unavailable", Json.parse(got.body()).getString("event"));
            assertEquals(1, receiver.attempts());
        }
    }

    @Test
    void aReceiverFailingTwiceGetsTheMessageOnTheThirdAttempt() {
        try (Receiver receiver = Receiver.start().answer(500, 500);
             Notifier notifier = notifier(config(webhook(receiver)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));

            assertEquals("a/gpt-4o", subjectOf(receiver.take()));
            assertEquals(3, receiver.attempts());
            await(() -> notifier.delivered() == 1, "delivery to be counted");
            assertEquals(0, notifier.failed());
        }
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpOnAfterThreeRetries() {
        try (Receiver receiver = Receiver.start().answer(503, 503, 503, 503, 503);
             Notifier notifier = notifier(config(webhook(receiver)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));

            await(() -> notifier.failed() == 1, "the message to be given up on");
            assertEquals(4, receiver.attempts());
            assertEquals(0, notifier.delivered());
        }
    }

    @Test
    void aClientErrorIsNotRetried() {
        try (Receiver receiver = Receiver.start().answer(403);
             Notifier notifier = notifier(config(webhook(receiver)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));

            await(() -> notifier.failed() == 1, "the message to be given up on");
            assertEquals(1, receiver.attempts());
        }
    }

    @Test
    void aHangingChannelDoesNotDelayTheOthers() throws IOException {
        // Accepts connections (the backlog does) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Receiver receiver = Receiver.start();
             Notifier notifier = notifier(config(
                     new NotificationChannelConfig(NotificationChannelType.SLACK,
                             URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/hang")),
                     webhook(receiver)), new TestClock())) {
            long start = System.nanoTime();
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "b/gpt-4o", "opened"));

            receiver.take();
            receiver.take();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis < NotifierTestSupport.QUICK.timeout().toMillis(),
                    "delivered in " + elapsedMillis + " ms, before the hanging channel's first timeout");
        }
    }

    @Test
    void aFullQueueDropsEventsAndCountsThemWithoutBlockingTheCaller() throws Exception {
        TestClock clock = new TestClock();
        Registry registry = Registry.of(NotifierTestSupport.GATEWAY);
        HealthRegistry health = new HealthRegistry(clock);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Notifier.Settings oneSlot = new Notifier.Settings(Duration.ofSeconds(2), 0, Duration.ofMillis(10), 1);
        try (Receiver receiver = Receiver.start();
             Notifier notifier = new Notifier(config(webhook(receiver)), clock, () -> {
                 // The notifier's thread is busy for as long as the test holds it here.
                 entered.countDown();
                 await(() -> release.getCount() == 0, "the test to release the notifier");
                 return registry;
             }, health, oneSlot)) {
            notifier.subscribe(health);
            Deployment deployment = registry.route("gpt-4o-mini").candidates().get(0);
            health.health(deployment).markProbeUnhealthy();
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "x", "queued"));
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "y", "dropped"));
            assertEquals(1, notifier.dropped());

            release.countDown();
            Set<String> subjects = Set.of(subjectOf(receiver.take()), subjectOf(receiver.take()),
                    subjectOf(receiver.take()));
            assertEquals(Set.of("a/gpt-4o-mini", "gpt-4o-mini", "x"), subjects,
                    "deployment down, model unavailable, then the queued one");
        }
    }

    @Test
    void noSecretLeavesInAMessage() {
        SecretRedactor.rememberSecrets(List.of("backend-secret-key-0001"));
        try (Receiver receiver = Receiver.start();
             Notifier notifier = notifier(config(
                     webhook(receiver),
                     new NotificationChannelConfig(NotificationChannelType.MATRIX, receiver.url(""), "!r:example.org",
                             "syt_matrix_token_123", null),
                     new NotificationChannelConfig(NotificationChannelType.FEISHU, receiver.url("/feishu"), null, null,
                             "feishu-signing-secret")), new TestClock())) {
            notifier.publish(notification(NotificationEventType.KEY_DISABLED, "a",
                    "backend a refused backend-secret-key-0001 and sk-proj-abcdefghijklmnop (Authorization: Bearer xyz)"));

            for (int i = 0; i < 3; i++) {
                String body = receiver.take().body();
                for (String secret : List.of("backend-secret-key-0001", "sk-proj-abcdefghijklmnop", "xyz",
                        "syt_matrix_token_123", "feishu-signing-secret")) {
                    assertFalse(body.contains(secret), secret + " in " + body);
                }
                assertTrue(body.contains(SecretRedactor.MASK), body);
            }
        } finally {
            SecretRedactor.rememberSecrets(List.of());
        }
    }

    @Test
    void closeStopsEveryThreadItStarted() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Notifier notifier;
        try (Receiver receiver = Receiver.start()) {
            notifier = notifier(config(webhook(receiver)), new TestClock());
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));
            receiver.take();
            notifier.close();
        }
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .filter(thread -> thread.getName().startsWith("aigateway-notify")
                        || thread.getName().startsWith("HttpClient"))
                .toList();
        assertTrue(started.stream().noneMatch(thread -> thread.getName().startsWith("aigateway-notify")),
                "the notifier's own threads stop in close(): " + started);
        // Java 17 has no HttpClient.shutdownNow(): there the JDK client's selector thread ends only once the client
        // is garbage-collected, which no test can make deterministic. From Java 21 on, close() stops it at once.
        if (Runtime.version().feature() < 21)
            return;
        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), thread.getName() + " still runs");
        }
    }

    @Test
    void withoutChannelsNothingStarts() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Notifier notifier = notifier(config(), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", "opened"));
            assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .noneMatch(t -> t.getName().startsWith("aigateway-notify") || t.getName().startsWith("HttpClient")));
        }
    }
}
