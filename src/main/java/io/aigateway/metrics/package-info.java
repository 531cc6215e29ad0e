/**
 * Prometheus metrics: one {@link io.prometheus.metrics.model.registry.PrometheusRegistry} per web application,
 * fed by request records and breaker transitions and read from the live registry and health at each scrape, and
 * the servlet that writes it in the text format. Labels carry only configured names and status classes: never a
 * key, a raw path, a client address or a model name nothing serves.
 */
package io.aigateway.metrics;
