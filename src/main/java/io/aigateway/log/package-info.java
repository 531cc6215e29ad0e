/**
 * What the gateway writes to logs, and what it must never write: the one redactor every log line passes through,
 * installed on whatever log4j2 configuration is in force, Jetty's DEBUG output included.
 */
package io.aigateway.log;
