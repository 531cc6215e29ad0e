package io.aigateway.health;

import io.aigateway.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the small JSON answers of the health endpoints, never cached by a proxy in between. */
final class HealthJson {
    private HealthJson() {
    }

    static void send(HttpServletResponse response, int status, String state, String reason) throws IOException {
        JsonObjectBuilder json = Json.createObjectBuilder().add("status", state);
        if (reason != null)
            json.add("reason", reason);
        byte[] body = json.build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
