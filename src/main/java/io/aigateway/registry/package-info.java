/**
 * The live, immutable snapshot of what the gateway serves: tenants and their keys, backends, deployments, and the
 * route of every public model name. A new snapshot replaces the old one atomically; requests keep the one they
 * started with.
 */
package io.aigateway.registry;
