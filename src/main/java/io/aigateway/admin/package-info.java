/**
 * The admin REST API under {@code admin.path}: tenants and their keys, backends and their deployments, live status,
 * usage statistics, the request and audit logs, and reload. A view over the same registry, health and store as
 * every other operator surface; changes go through the store and the live config, never around them.
 */
package io.aigateway.admin;
