package io.aigateway.proxy;

import java.util.Locale;

/**
 * Whether a successful reply's {@code Content-Type} can be an API answer at all. The OpenAI operations answer JSON
 * or an event stream; a 2xx HTML page (a captive portal, a load balancer's page, a misrouted endpoint) is a backend
 * fault that must not reach a client as a success, so it is treated like a broken reply: the request moves on while
 * nothing is committed. Lenient where compatible servers differ: no content type, and {@code text/plain}, pass.
 * Passthrough requests ({@code /v1/files}, audio, ...) may answer anything and are not checked.
 */
final class ReplyContentType {
    private ReplyContentType() {
    }

    static boolean fits(Operation operation, String contentType) {
        if (operation == Operation.PASSTHROUGH || contentType == null || contentType.isBlank())
            return true;
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0)
            type = type.substring(0, semicolon);
        type = type.strip();
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/event-stream")
            || type.equals("text/plain");
    }
}
