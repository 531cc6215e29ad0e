/**
 * The request log: one row per request written to the store off the request path (a bounded queue, a background
 * writer that batches, drops counted when full, flushed on shutdown, old rows purged), and one JSON line per request
 * on the log4j2 logger {@code aigateway.request}.
 */
package io.aigateway.requestlog;
