package io.aigateway.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which deployment created each stored response ({@code resp_...}), so that {@code GET} and
 * {@code DELETE /v1/responses/{id}} go back to it. Bounded: the least recently used ids are forgotten, and an id
 * this instance never saw is looked for on each candidate backend in turn.
 */
public final class ResponseAffinity {
    public static final int DEFAULT_CAPACITY = 100_000;

    private final Map<String, String> deploymentById;

    public ResponseAffinity(int capacity) {
        this.deploymentById = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String responseId, String deploymentId) {
        deploymentById.put(responseId, deploymentId);
    }

    /** The id of the deployment that created the response, or null. */
    public synchronized String deploymentOf(String responseId) {
        return deploymentById.get(responseId);
    }

    public synchronized void forget(String responseId) {
        deploymentById.remove(responseId);
    }
}
