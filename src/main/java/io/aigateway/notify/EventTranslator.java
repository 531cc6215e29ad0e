package io.aigateway.notify;

import io.aigateway.config.NotificationEventType;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.ModelRoute;
import io.aigateway.registry.Registry;
import io.aigateway.routing.HealthTracker;
import io.aigateway.routing.health.CircuitBreaker.State;
import io.aigateway.routing.health.CircuitBreakerEvent;
import io.aigateway.routing.health.HealthEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns health and circuit breaker events into notifications, and after each event that takes deployments out
 * checks whether a public model they serve has no deployment left. Runs on the notifier's thread: the check reads
 * the health of every candidate, which listeners on the request path must not do.
 */
final class EventTranslator {
    private final Supplier<Registry> registry;
    private final HealthTracker health;

    EventTranslator(Supplier<Registry> registry, HealthTracker health) {
        this.registry = registry;
        this.health = health;
    }

    /** The notifications an event gives, before deduplication and the {@code events[]} filter. */
    List<Notification> translate(Object event) {
        List<Notification> out = new ArrayList<>();
        if (event instanceof Notification notification) {
            out.add(notification);
        } else if (event instanceof CircuitBreakerEvent breaker) {
            breaker(breaker, out);
        } else if (event instanceof HealthEvent healthEvent) {
            health(healthEvent, out);
        }
        return out;
    }

    private void breaker(CircuitBreakerEvent event, List<Notification> out) {
        String id = event.deploymentId();
        if (event.to() == State.OPEN) {
            out.add(new Notification(NotificationEventType.CIRCUIT_OPENED, id, "the circuit breaker of deployment "
                    + id + " opened (" + name(event.from()) + " -> open): it gets no traffic until a trial succeeds",
                    event.at()));
            unavailableModels(deployment -> deployment.id().equals(id), id, event, out);
        } else if (event.to() == State.CLOSED) {
            // After successful trials (half-open -> closed), or reset by an operator.
            out.add(new Notification(NotificationEventType.DEPLOYMENT_RECOVERED, id, "deployment " + id
                    + " recovered: its circuit breaker closed (" + name(event.from()) + " -> closed)", event.at()));
        }
    }

    private void health(HealthEvent event, List<Notification> out) {
        String subject = event.subject();
        switch (event.kind()) {
            case PROBE_UNHEALTHY -> {
                out.add(new Notification(NotificationEventType.DEPLOYMENT_DOWN, subject, "deployment " + subject
                        + " is down: active health checks fail", event.at()));
                unavailableModels(d -> d.id().equals(subject), subject, event, out);
            }
            case FLAGGED -> {
                String reason = event.reason() == null ? "flagged" : event.reason();
                out.add(new Notification(NotificationEventType.DEPLOYMENT_DOWN, subject, "deployment " + subject
                        + " is out of rotation: " + reason, event.at()));
                unavailableModels(d -> d.id().equals(subject), subject, event, out);
            }
            case KEY_DISABLED -> out.add(new Notification(NotificationEventType.KEY_DISABLED, subject, "backend " + subject
                    + " refused a key, now out of rotation: " + event.reason(), event.at()));
            case PROBE_HEALTHY -> out.add(new Notification(NotificationEventType.DEPLOYMENT_RECOVERED, subject,
                    "deployment " + subject + " recovered: active health checks pass", event.at()));
            case FLAG_CLEARED -> out.add(new Notification(NotificationEventType.DEPLOYMENT_RECOVERED, subject,
                    "deployment " + subject + " is back in rotation"
                            + (event.reason() == null ? "" : ": " + event.reason()), event.at()));
            case BENCHED -> {
                out.add(new Notification(NotificationEventType.QUOTA_EXHAUSTED, subject, "deployment " + subject
                        + " hit a rate limit or spent quota: no traffic until " + event.until(), event.at()));
                unavailableModels(d -> d.id().equals(subject), subject, event, out);
            }
            case QUOTA_GROUP_BENCHED -> {
                out.add(new Notification(NotificationEventType.QUOTA_EXHAUSTED, "quota group " + subject,
                        "quota group " + subject + " hit a rate limit or spent quota: no traffic to its backends until "
                                + event.until(), event.at()));
                unavailableModels(d -> subject.equals(d.backend().config().quotaGroup()), "quota group " + subject,
                        event, out);
            }
            // The subject is scheme://host:port: not named in messages, but the models it takes out are.
            case ENDPOINT_BENCHED -> unavailableModels(d -> d.backend().endpointKey().equals(subject),
                    "a connection failure", event, out);
            // Other changes of a deployment (an operator disabling or draining it) notify nothing themselves, but
            // may leave a model without deployments.
            default -> unavailableModels(d -> d.id().equals(subject),
                    event.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " of " + subject, event, out);
        }
    }

    /** One notification per public model that the event touched and that has no available deployment left. */
    private void unavailableModels(Predicate<Deployment> touched, String cause, Object event,
            List<Notification> out) {
        Registry current = registry.get();
        for (String model : current.publicModels()) {
            ModelRoute route = current.route(model);
            if (route == null || route.candidates().isEmpty()
                    || route.candidates().stream().noneMatch(touched)) {
                continue;
            }
            if (route.candidates().stream().noneMatch(health::isAvailable)) {
                List<String> ids = route.candidates().stream().map(Deployment::id).toList();
                out.add(new Notification(NotificationEventType.MODEL_UNAVAILABLE, model, "model " + model
                        + " is unavailable: none of its deployments " + ids + " can take traffic (after " + cause
                        + ")", at(event)));
            }
        }
    }

    private static Instant at(Object event) {
        if (event instanceof CircuitBreakerEvent breaker) {
            return breaker.at();
        }
        return ((HealthEvent) event).at();
    }

    private static String backendOf(String deploymentId) {
        int slash = deploymentId.indexOf('/');
        return slash < 0 ? deploymentId : deploymentId.substring(0, slash);
    }

    private static String name(State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
