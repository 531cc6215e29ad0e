package io.aigateway.testing;

import jakarta.json.JsonObject;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a gateway's admin API with one key. */
public final class AdminClient {
    private final GatewayServer gateway;
    private final String key;
    private final String base;

    public AdminClient(GatewayServer gateway, String key) {
        this(gateway, key, "/admin");
    }

    public AdminClient(GatewayServer gateway, String key, String base) {
        this.gateway = gateway;
        this.key = key;
        this.base = base;
    }

    public HttpResponse<String> get(String path) {
        return gateway.send(gateway.request(base + path, key).GET().build());
    }

    public HttpResponse<String> post(String path, String json) {
        return send("POST", path, json);
    }

    public HttpResponse<String> patch(String path, String json) {
        return send("PATCH", path, json);
    }

    public HttpResponse<String> delete(String path) {
        return gateway.send(gateway.request(base + path, key).DELETE().build());
    }

    public HttpResponse<String> send(String method, String path, String json) {
        return gateway.send(gateway.request(base + path, key).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** The JSON body of a response that must have the status. */
    public static JsonObject expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : Json.parse(response.body());
    }

    /** The error object of an OpenAI-shaped error with the status. */
    public static JsonObject error(int status, HttpResponse<String> response) {
        JsonObject error = expect(status, response).getJsonObject("error");
        if (error == null || !error.containsKey("message") || !error.containsKey("type") || !error.containsKey("code")
                || !error.containsKey("param")) {
            throw new AssertionError("not an OpenAI-shaped error: " + response.body());
        }
        return error;
    }
}
