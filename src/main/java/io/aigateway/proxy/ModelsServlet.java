package io.aigateway.proxy;

import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.auth.ApiKeyFilter;
import io.aigateway.registry.Registry;
import io.aigateway.registry.Tenant;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.GatewayContextListener;
import io.aigateway.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} (also under {@code /openai/} and {@code /openai/v1/}):
 * the public models and aliases the caller's tenant may use, in OpenAI's list shape, answered by the gateway.
 */
public final class ModelsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String OWNER = "ai-gateway";

    private transient Gateway gateway;

    @Override
    public void init() {
        gateway = GatewayContextListener.gateway(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Tenant tenant = ApiKeyFilter.tenant(request);
        Registry registry = gateway.registry();
        String id = request.getPathInfo() == null || request.getPathInfo().equals("/") ? null : request.getPathInfo().substring(1);
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.createGenerator(out)) {
            if (id == null) {
                json.writeStartObject().write("object", "list").writeStartArray("data");
                for (String model : registry.publicModels()) {
                    if (registry.allows(tenant, model))
                        writeModel(json.writeStartObject(), model).writeEnd();
                }
                json.writeEnd().writeEnd();
            } else {
                if (!registry.publicModels().contains(id) || !registry.allows(tenant, id)) {
                    ErrorResponder.send(response, ApiErrors.modelNotFound(id));
                    return;
                }
                writeModel(json.writeStartObject(), id).writeEnd();
            }
        }
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static JsonGenerator writeModel(JsonGenerator json, String model) {
        return json.write("id", model).write("object", "model").write("created", 0).write("owned_by", OWNER);
    }
}
