/**
 * Servlet-free processing of OpenAI server-sent event streams: framing, holding a stream until its first content,
 * and converting between streamed and non-streamed replies (and the request flags that go with them).
 */
package io.aigateway.proxy.stream;
