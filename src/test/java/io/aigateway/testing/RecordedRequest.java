package io.aigateway.testing;

import jakarta.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the fake backend received it.
 *
 * @param method  the HTTP method
 * @param path    the raw (still encoded) path, without the query
 * @param query   the raw query string, or {@code null} when the URL had none
 * @param headers every header in arrival order, keys lower-cased
 * @param body    the body bytes, empty when there was none
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

    /** The first value of the header, or {@code null}; the name is case-insensitive. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of the query parameter, decoded, or {@code null}. */
    public String queryParam(String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The path followed by {@code ?query} when there is one, as it appeared on the request line. */
    public String target() {
        return query == null ? path : path + "?" + query;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as a JSON object; fails if it is not one. */
    public JsonObject json() {
        return Json.parse(bodyText());
    }

    @Override
    public String toString() {
        return method + " " + target() + " (" + body.length + " bytes)";
    }
}
