package io.aigateway.admin.jmx;

/**
 * {@code aigateway:type=Deployment,backend=<backend>,name=<deployment>}: one model served by one backend, the unit
 * the gateway balances over. Health attributes need the gateway's default health tracker; the statistics count
 * upstream calls since start (every attempt, and active health probes in the outcomes).
 * <p>
 * No {@code resetCircuit()} yet: the circuit breaker has no operation that closes it from outside its state
 * machine.
 */
public interface DeploymentMBean {
    /** {@code backends[].name}. */
    String getBackend();

    /** {@code backends[].deployments[].name}: what the backend calls it. */
    String getName();

    /** {@code backends[].deployments[].model}: the public model name it serves. */
    String getModel();

    /** Whether it may take traffic now: its backend is enabled and nothing holds it out. */
    boolean isAvailable();

    /** Its circuit breaker: {@code CLOSED}, {@code HALF_OPEN} or {@code OPEN}. */
    String getCircuitState();

    /** Whether it is flagged (keys refused, deployment gone upstream) until cleared. */
    boolean isFlagged();

    /** Why it is flagged, or null. */
    String getFlagReason();

    /** Upstream calls sent to it and not ended yet. */
    int getInFlight();

    /** Upstream calls sent to it. */
    long getStarted();

    /** Calls it answered without fault of its own, and passed probes. */
    long getSucceeded();

    /** Calls it failed, and failed probes. */
    long getFailed();

    /** Recent success rate, 0..1 (an exponentially weighted average; 1 before the first outcome). */
    double getSuccessRate();

    /** 99th percentile of recent times to first byte of non-streaming calls, in ms; -1 before any. */
    long getP99FirstByteMs();

    /** 99th percentile of recent times to first byte of streaming calls, in ms; -1 before any. */
    long getP99StreamFirstByteMs();

    /** Lifts a flag, putting it back into rotation (after the operator fixed its keys or recreated it upstream). */
    void clearFlag();
}
