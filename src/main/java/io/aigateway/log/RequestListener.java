package io.aigateway.log;

/**
 * Receives every {@link RequestRecord} as its request ends. Called on the thread that ended the request: a
 * listener must not block (hand the record to a queue when it has I/O to do) and must not throw.
 */
@FunctionalInterface
public interface RequestListener {
    void onRequest(RequestRecord record);
}
