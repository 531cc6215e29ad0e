/**
 * Load against one target: open loop at a fixed arrival rate (latency counted from the scheduled send time, so
 * queueing is never hidden), concurrent server-sent event streams with chunk fidelity, and streams held open.
 */
package io.aigateway.bench.load;
