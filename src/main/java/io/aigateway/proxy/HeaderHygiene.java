package io.aigateway.proxy;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

import java.util.Set;

/**
 * Which headers cross the gateway. Hop-by-hop headers are already dropped by Jetty's proxy servlet; these are the
 * ones that are end-to-end in HTTP's terms but must not cross an LLM gateway.
 */
final class HeaderHygiene {
    /**
     * Client headers that never reach a backend: credentials (the backend gets its own), what the gateway decides
     * for itself (framing, encodings: the client has no content decoders, so a gzip reply would reach the usage
     * parser compressed), the client's address, and the client's OpenAI organization and project, which belong to
     * another account than the backend key's.
     */
    private static final Set<String> CLIENT_ONLY = Set.of(
        "authorization", "api-key", "x-api-key", "cookie", "host", "content-length", "expect", "accept-encoding",
        "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
        "openai-organization", "openai-project");

    /** Backend headers that never reach a client: cookies and the backend account's organization and project. */
    private static final Set<String> BACKEND_ONLY = Set.of("set-cookie", "set-cookie2", "openai-organization", "openai-project");

    private HeaderHygiene() {
    }

    static void removeClientOnlyHeaders(HttpFields.Mutable headers) {
        CLIENT_ONLY.forEach(headers::remove);
    }

    /** Whether a backend response header is relayed; the length is the container's to set. */
    static boolean keepsResponseHeader(HttpField field) {
        return field.getHeader() != HttpHeader.CONTENT_LENGTH && !BACKEND_ONLY.contains(field.getLowerCaseName());
    }
}
