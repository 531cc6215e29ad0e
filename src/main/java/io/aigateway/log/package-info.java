/**
 * What the gateway writes to logs, and what it must never write: the one redactor every log line passes through,
 * installed on whatever log4j2 configuration is in force, Jetty's DEBUG output included; and the log channels
 * ({@code logging.channels[]}: the app, request and audit files) built from the config as the web application's
 * log4j2 configuration.
 */
package io.aigateway.log;
