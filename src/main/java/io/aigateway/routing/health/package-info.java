/**
 * Whether each deployment may take traffic now: its circuit breaker, the pauses a backend asked for (per
 * deployment, per endpoint, per quota group), the flag set when its credentials or the deployment itself are gone,
 * the verdict of active health checks, and what an operator decided ({@link io.aigateway.routing.health.OperatorState},
 * and resetting a breaker). {@link io.aigateway.routing.health.HealthRegistry} owns that state,
 * keyed by deployment id so that it survives config reloads, and publishes every change as an event.
 */
package io.aigateway.routing.health;
