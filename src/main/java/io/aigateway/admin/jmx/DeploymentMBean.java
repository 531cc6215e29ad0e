package io.aigateway.admin.jmx;

/**
 * {@code aigateway:type=Deployment,backend=<backend>,name=<deployment>}: one model served by one backend, the unit
 * the gateway balances over. Health attributes need the gateway's default health tracker; the statistics count
 * upstream calls since start (every attempt, and active health probes in the outcomes).
 * <p>
 * The operations {@link #enable()}, {@link #disable()}, {@link #drain()} set its {@code OperatorState}, which holds
 * across config reloads until the next of them; {@link #resetCircuit()} closes its breaker.
 */
public interface DeploymentMBean {
    /** {@code backends[].name}. */
    String getBackend();

    /** {@code backends[].deployments[].name}: what the backend calls it. */
    String getName();

    /** {@code backends[].deployments[].model}: the public model name it serves. */
    String getModel();

    /** Whether it may take traffic now: its backend is enabled, an operator has not disabled or drained it, and nothing holds it out. */
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

    /**
     * What an operator decided: {@code ENABLED} (the default: its health decides), {@code DRAINING} (no new
     * requests, those in flight finish: drained when {@code InFlight} is 0) or {@code DISABLED} (no traffic).
     */
    String getOperatorState();

    /** Lifts a flag, putting it back into rotation (after the operator fixed its keys or recreated it upstream). */
    void clearFlag();

    /**
     * Puts it back into rotation after {@link #disable()} or {@link #drain()}. Its health still decides: a flag, an
     * open breaker or a rest after a rate limit keep it out until they end.
     */
    void enable();

    /**
     * Takes it out of rotation until {@link #enable()}, across config reloads. Requests already sent to it finish;
     * when it serves a model alone, that model's requests get 503 {@code no_healthy_backend}.
     */
    void disable();

    /**
     * Sends it no new requests and lets those in flight finish; {@code InFlight} falls to 0 once it is drained. It
     * stays out until {@link #enable()}, across config reloads.
     */
    void drain();

    /**
     * Closes its circuit breaker now, from any state, forgetting its recent failures and the growth of its open
     * period: for a deployment you know has recovered. Published as a reset transition.
     */
    void resetCircuit();
}
