package io.aigateway.routing.probe;

import io.aigateway.registry.Deployment;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers everything a {@link HealthChecker} reports, in order. */
final class RecordingListener implements ProbeListener {
    /** One call: {@code result} or {@code transition}; reason is null for transitions. */
    record Event(String kind, String deployment, boolean healthy, String reason) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onProbeResult(Deployment deployment, boolean healthy, String reason) {
        events.add(new Event("result", deployment.id(), healthy, reason));
    }

    @Override
    public void onTransition(Deployment deployment, boolean healthy) {
        events.add(new Event("transition", deployment.id(), healthy, null));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> results() {
        return events.stream().filter(e -> e.kind().equals("result")).toList();
    }

    List<Event> transitions() {
        return events.stream().filter(e -> e.kind().equals("transition")).toList();
    }

    Event lastResult() {
        List<Event> results = results();
        if (results.isEmpty())
            throw new AssertionError("no probe result reported");
        return results.get(results.size() - 1);
    }

    void clear() {
        events.clear();
    }
}
