package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The model list shows each tenant exactly the public models and aliases it may use, and aliases route. */
class ModelsEndpointTest {
    static final String ALL = "sk-models-all";
    static final String SOME = "sk-models-some";

    static FakeBackend east;
    static FakeBackend west;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        east = FakeBackend.start("east");
        west = FakeBackend.start("west");
        gateway = GatewayServer.start("""
            tenants:
              - {name: all, keys: ["%s"], models: ["*"]}
              - {name: some, keys: ["%s"], models: [gpt-4o, fast]}
            backends:
              - {name: east, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
              - {name: west, flavor: openai, endpoint: "%s/v1", models: [gpt-4o-mini]}
            models:
              aliases:
                fast: gpt-4o-mini
                west-mini: west:gpt-4o-mini
            """.formatted(ALL, SOME, east.url(), west.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        east.close();
        west.close();
    }

    private static List<String> ids(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        JsonObject list = Json.parse(response.body());
        assertEquals("list", list.getString("object"));
        return list.getJsonArray("data").getValuesAs(JsonValue::asJsonObject).stream()
            .peek(model -> assertEquals("model", model.getString("object")))
            .map(model -> model.getString("id")).toList();
    }

    @Test
    void listsEveryPublicModelAndAliasForAWildcardTenant() {
        assertEquals(List.of("fast", "gpt-4o", "gpt-4o-mini", "west-mini"), ids(gateway.get("/v1/models", ALL)));
    }

    @Test
    void listsOnlyWhatTheTenantMayUse() {
        assertEquals(List.of("fast", "gpt-4o"), ids(gateway.get("/v1/models", SOME)));
        assertEquals(List.of("fast", "gpt-4o"), ids(gateway.get("/openai/models", SOME)));
        assertEquals(List.of("fast", "gpt-4o"), ids(gateway.get("/openai/v1/models", SOME)));
    }

    @Test
    void retrievesOneModelOr404() {
        HttpResponse<String> found = gateway.get("/v1/models/fast", SOME);
        assertEquals(200, found.statusCode());
        assertEquals("fast", Json.parse(found.body()).getString("id"));

        assertEquals(404, gateway.get("/v1/models/gpt-4o-mini", SOME).statusCode(), "not the tenant's");
        assertEquals(404, gateway.get("/v1/models/nope", ALL).statusCode());
    }

    @Test
    void anAliasIsUsableOnlyWhenTheTenantNamesIt() {
        assertEquals(200, gateway.post("/v1/chat/completions", SOME, Json.chat("fast", false)).statusCode());
        assertEquals(403, gateway.post("/v1/chat/completions", SOME, Json.chat("gpt-4o-mini", false)).statusCode(),
            "naming the alias does not grant its target");
    }

    @Test
    void aPinnedAliasGoesOnlyToItsBackend() {
        east.clearRequests();
        west.clearRequests();
        for (int i = 0; i < 6; i++)
            assertEquals(200, gateway.post("/v1/chat/completions", ALL, Json.chat("west-mini", false)).statusCode());
        assertEquals(0, east.requestCount());
        assertEquals(6, west.requestCount());
        assertEquals("gpt-4o-mini", west.takeRequest().json().getString("model"));
    }
}
