/**
 * The health endpoints for load balancers and orchestrators: {@code /health} (liveness) and {@code /ready}
 * (readiness). No authentication, no I/O: they read the running gateway's snapshot and health in memory.
 */
package io.aigateway.health;
