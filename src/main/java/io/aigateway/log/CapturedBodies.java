package io.aigateway.log;

/**
 * The bodies of one request kept for the request log when its tenant captures them
 * ({@code request_log.capture_bodies}, {@code tenants[].capture_bodies}): cut to {@code request_log.max_body_bytes}
 * each and passed through {@link SecretRedactor}. They go to the store only, never to a log line.
 *
 * @param request   the client's request body as UTF-8 text, or null when it sent none
 * @param response  what the client got: the first bytes of a JSON reply, or the assembled text of a stream
 *                  ({@code choices[].delta.content} of chat completions, {@code response.output_text.delta} of
 *                  the Responses API); null when no reply went through the gateway's relay (its own errors)
 * @param truncated whether either of them was cut at the cap
 */
public record CapturedBodies(String request, String response, boolean truncated) {
}
