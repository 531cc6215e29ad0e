/**
 * The request path: the async proxy servlet, inbound endpoint parsing (OpenAI and Azure styles), request body
 * scanning and model rewriting, per-flavor upstream targets, header hygiene, and the relay of responses and
 * streams back to the client.
 */
package io.aigateway.proxy;
