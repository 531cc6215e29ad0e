/**
 * Choosing where a request goes and what to do when that fails: balancer strategies over a model's deployments,
 * deployment health, the classification of upstream outcomes, and the retry policy. Nothing here knows about
 * servlets or HTTP clients, so every policy is testable with plain objects and an injected clock.
 */
package io.aigateway.routing;
