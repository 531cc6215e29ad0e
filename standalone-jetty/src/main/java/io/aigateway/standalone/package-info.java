/**
 * The standalone launcher: embedded Jetty 12 serving the unchanged {@code ai-gateway.war}, command-line options,
 * config checking, and graceful shutdown.
 */
package io.aigateway.standalone;
