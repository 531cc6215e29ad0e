/**
 * The OpenAI wire contract the gateway itself speaks to clients: error bodies and the statuses they go with,
 * and model objects. Everything a client can receive that did not come from a backend is shaped here.
 */
package io.aigateway.api;
