/**
 * Test doubles for the gateway's upstreams: {@link io.aigateway.testing.FakeBackend}, a real HTTP
 * server speaking the OpenAI and Azure OpenAI wire formats that records what it receives and can
 * be scripted to fail or pace a stream, plus small {@link io.aigateway.testing.Sse} and
 * {@link io.aigateway.testing.Json} helpers for the client side of a test.
 */
package io.aigateway.testing;
