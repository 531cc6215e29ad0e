package io.aigateway.routing.health;

/**
 * What an operator decided for a deployment (through JMX), on top of everything the gateway decides by itself. Kept
 * across config reloads; only another operator action changes it.
 */
public enum OperatorState {
    /** Takes traffic whenever its health allows: the default. */
    ENABLED,
    /** Takes no new requests; those in flight finish. Done draining when its in-flight count is 0. */
    DRAINING,
    /**
     * Takes no traffic at all. The router only consults availability for new choices, so requests already sent to it
     * when it was disabled still finish: disabling is draining without the intent to come back soon.
     */
    DISABLED
}
