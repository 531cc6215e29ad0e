/**
 * Rate limits (requests and tokens per minute as GCRA, concurrency) at the scopes tenant, key, model,
 * tenant × model and deployment, behind a {@link io.aigateway.limits.LimitStore} (in process or Redis); reservations
 * taken on admission and settled against real usage.
 */
package io.aigateway.limits;
