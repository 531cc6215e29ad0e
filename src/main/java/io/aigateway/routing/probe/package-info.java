/**
 * Active health checks: a cheap authenticated request sent to every backend whose {@code health_check} is enabled,
 * on a schedule, so that a dead backend is taken out (and a recovered one brought back) without a client request
 * finding out first. {@link io.aigateway.routing.probe.HealthChecker} owns the schedule and the thresholds,
 * {@link io.aigateway.routing.probe.Probe} is the request, and a
 * {@link io.aigateway.routing.probe.ProbeListener} hears the verdicts.
 */
package io.aigateway.routing.probe;
