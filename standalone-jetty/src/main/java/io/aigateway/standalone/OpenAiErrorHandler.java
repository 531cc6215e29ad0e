package io.aigateway.standalone;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers before the gateway's webapp runs (a header block too large, a URI it refuses) in OpenAI's
 * shape too, whatever the client accepts: clients of the gateway parse JSON errors, not HTML pages.
 */
final class OpenAiErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        String type = code >= 500 ? "server_error" : "invalid_request_error";
        String json = "{\"error\":{\"message\":\"" + escape(reason == null ? "Error" : reason) + ".\",\"type\":\"" + type
            + "\",\"code\":\"http_" + code + "\",\"param\":null}}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\')
                out.append('\\').append(c);
            else if (c >= 0x20)
                out.append(c);
        }
        return out.toString();
    }
}
