package io.aigateway.testing;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fake backend answers when nothing is scripted: the OpenAI and Azure OpenAI endpoints the
 * gateway proxies, with deterministic bodies that name the backend ("hello from {name}") so a test
 * can tell which backend answered. OpenAI paths match on their ending, so any base path works.
 */
final class DefaultApi {

    /** The fixed {@code created} timestamp of every generated object. */
    static final long CREATED = 1_700_000_000L;

    private static final Pattern AZURE_DEPLOYMENT =
            Pattern.compile("/openai/deployments/([^/]+)/(chat/completions|completions|embeddings)");
    private static final Pattern RESPONSE_BY_ID = Pattern.compile(".*/responses/([^/]+)");
    private static final String UNKNOWN_MODEL = "unknown-model";

    private final String name;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, JsonObject> storedResponses = new ConcurrentHashMap<>();
    private volatile List<String> models = List.of("gpt-4o-mini", "text-embedding-3-small");

    DefaultApi(String name) {
        this.name = name;
    }

    void models(List<String> ids) {
        models = List.copyOf(ids);
    }

    Reply replyTo(RecordedRequest request) {
        String path = request.path();
        Matcher deployment = AZURE_DEPLOYMENT.matcher(path);
        boolean azureDated = deployment.matches()
                || path.equals("/openai/responses") || path.startsWith("/openai/responses/");
        if (azureDated && request.queryParam("api-version") == null) {
            return Reply.azureError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (path.startsWith("/openai/deployments/") && !deployment.matches()) {
            return notFound(request);
        }
        String operation = deployment.matches() ? "/" + deployment.group(2) : path;
        String modelFromPath = deployment.matches() ? deployment.group(1) : null;
        return route(request, operation, modelFromPath);
    }

    private Reply route(RecordedRequest request, String path, String modelFromPath) {
        Matcher byId = RESPONSE_BY_ID.matcher(path);
        if (path.endsWith("/chat/completions")) {
            return post(request, modelFromPath, this::chat);
        } else if (path.endsWith("/completions")) {
            return post(request, modelFromPath, this::completion);
        } else if (path.endsWith("/embeddings")) {
            return post(request, modelFromPath, this::embeddings);
        } else if (path.endsWith("/responses")) {
            return post(request, modelFromPath, this::createResponse);
        } else if (byId.matches() && request.method().equals("GET")) {
            return retrieveResponse(byId.group(1));
        } else if (byId.matches() && request.method().equals("DELETE")) {
            return deleteResponse(byId.group(1));
        } else if (path.endsWith("/models") && request.method().equals("GET")) {
            return Reply.json(200, modelList());
        }
        return notFound(request);
    }

    private interface Endpoint {
        Reply answer(JsonObject body, String model);
    }

    private Reply post(RecordedRequest request, String modelFromPath, Endpoint endpoint) {
        if (!request.method().equals("POST")) {
            return notFound(request);
        }
        JsonObject body;
        try {
            body = request.json();
        } catch (JsonException | IllegalStateException e) {
            return Reply.error(400, "invalid_request_error", null,
                    "We could not parse the JSON body of your request.");
        }
        String model = body.getString("model", modelFromPath != null ? modelFromPath : UNKNOWN_MODEL);
        return endpoint.answer(body, model);
    }

    private static Reply notFound(RecordedRequest request) {
        return Reply.error(404, "invalid_request_error", null,
                "Invalid URL (" + request.method() + " " + request.path() + ")");
    }

    // --- chat completions

    private Reply chat(JsonObject body, String model) {
        String id = "chatcmpl-" + name + "-" + sequence.incrementAndGet();
        if (!body.getBoolean("stream", false)) {
            JsonObject message = object().add("role", "assistant").add("content", text()).addNull("refusal").build();
            return Reply.json(200, object()
                    .add("id", id)
                    .add("object", "chat.completion")
                    .add("created", CREATED)
                    .add("model", model)
                    .add("choices", array(object()
                            .add("index", 0)
                            .add("message", message)
                            .addNull("logprobs")
                            .add("finish_reason", "stop")))
                    .add("usage", usage())
                    .build().toString());
        }
        boolean includeUsage = includeUsage(body);
        ChunkWriter chunks = new ChunkWriter(id, "chat.completion.chunk", model, includeUsage);
        chunks.add(chatChoice(object().add("role", "assistant").add("content", "").addNull("refusal"), null));
        for (String piece : pieces()) {
            chunks.add(chatChoice(object().add("content", piece), null));
        }
        chunks.add(chatChoice(object(), "stop"));
        return Reply.sse(chunks.finish());
    }

    private static JsonObjectBuilder chatChoice(JsonObjectBuilder delta, String finishReason) {
        return withFinishReason(object().add("index", 0).add("delta", delta).addNull("logprobs"), finishReason);
    }

    // --- legacy completions

    private Reply completion(JsonObject body, String model) {
        String id = "cmpl-" + name + "-" + sequence.incrementAndGet();
        if (!body.getBoolean("stream", false)) {
            return Reply.json(200, object()
                    .add("id", id)
                    .add("object", "text_completion")
                    .add("created", CREATED)
                    .add("model", model)
                    .add("choices", array(textChoice(text(), "stop")))
                    .add("usage", usage())
                    .build().toString());
        }
        ChunkWriter chunks = new ChunkWriter(id, "text_completion", model, includeUsage(body));
        for (String piece : pieces()) {
            chunks.add(textChoice(piece, null));
        }
        chunks.add(textChoice("", "stop"));
        return Reply.sse(chunks.finish());
    }

    private static JsonObjectBuilder textChoice(String text, String finishReason) {
        return withFinishReason(object().add("text", text).add("index", 0).addNull("logprobs"), finishReason);
    }

    // --- embeddings

    private Reply embeddings(JsonObject body, String model) {
        JsonValue input = body.get("input");
        int count = input instanceof JsonArray inputs ? inputs.size() : 1;
        JsonArrayBuilder data = jakarta.json.Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            data.add(object()
                    .add("object", "embedding")
                    .add("index", i)
                    .add("embedding", jakarta.json.Json.createArrayBuilder().add(0.1).add(0.2).add(0.3)));
        }
        return Reply.json(200, object()
                .add("object", "list")
                .add("data", data)
                .add("model", model)
                .add("usage", object().add("prompt_tokens", 2).add("total_tokens", 2))
                .build().toString());
    }

    // --- responses

    private Reply createResponse(JsonObject body, String model) {
        int n = sequence.incrementAndGet();
        String id = "resp_" + name + "_" + n;
        String messageId = "msg_" + name + "_" + n;
        JsonObject completed = response(id, model, "completed")
                .add("output", array(object()
                        .add("type", "message")
                        .add("id", messageId)
                        .add("status", "completed")
                        .add("role", "assistant")
                        .add("content", array(object()
                                .add("type", "output_text")
                                .add("text", text())
                                .add("annotations", jakarta.json.Json.createArrayBuilder())))))
                .add("usage", object().add("input_tokens", 5).add("output_tokens", 3).add("total_tokens", 8))
                .build();
        storedResponses.put(id, completed);
        if (!body.getBoolean("stream", false)) {
            return Reply.json(200, completed.toString());
        }
        int seq = 0;
        List<String> pieces = pieces();
        String[] events = new String[pieces.size() + 2];
        events[0] = event("response.created", object()
                .add("type", "response.created")
                .add("sequence_number", seq++)
                .add("response", response(id, model, "in_progress")
                        .add("output", jakarta.json.Json.createArrayBuilder())
                        .addNull("usage")));
        for (String piece : pieces) {
            events[seq] = event("response.output_text.delta", object()
                    .add("type", "response.output_text.delta")
                    .add("sequence_number", seq++)
                    .add("item_id", messageId)
                    .add("output_index", 0)
                    .add("content_index", 0)
                    .add("delta", piece));
        }
        events[seq] = event("response.completed", object()
                .add("type", "response.completed")
                .add("sequence_number", seq)
                .add("response", completed));
        return Reply.sse(events);
    }

    private static JsonObjectBuilder response(String id, String model, String status) {
        return object()
                .add("id", id)
                .add("object", "response")
                .add("created_at", CREATED)
                .add("status", status)
                .add("model", model);
    }

    private static String event(String type, JsonObjectBuilder data) {
        return "event: " + type + "\ndata: " + data.build() + "\n\n";
    }

    private Reply retrieveResponse(String id) {
        JsonObject stored = storedResponses.get(id);
        return stored == null ? responseNotFound(id) : Reply.json(200, stored.toString());
    }

    private Reply deleteResponse(String id) {
        if (storedResponses.remove(id) == null) {
            return responseNotFound(id);
        }
        return Reply.json(200, object().add("id", id).add("object", "response.deleted").add("deleted", true)
                .build().toString());
    }

    private static Reply responseNotFound(String id) {
        return Reply.error(404, "invalid_request_error", null, "Response with id '" + id + "' not found.");
    }

    // --- models

    private String modelList() {
        JsonArrayBuilder data = jakarta.json.Json.createArrayBuilder();
        for (String id : models) {
            data.add(object().add("id", id).add("object", "model").add("created", 0).add("owned_by", name));
        }
        return object().add("object", "list").add("data", data).build().toString();
    }

    // --- shared pieces

    private String text() {
        return "hello from " + name;
    }

    private List<String> pieces() {
        return List.of("hello", " from", " " + name);
    }

    private static boolean includeUsage(JsonObject body) {
        JsonValue options = body.get("stream_options");
        return options instanceof JsonObject o && o.getBoolean("include_usage", false);
    }

    private static JsonObjectBuilder usage() {
        return object().add("prompt_tokens", 5).add("completion_tokens", 3).add("total_tokens", 8);
    }

    private static JsonObjectBuilder withFinishReason(JsonObjectBuilder choice, String finishReason) {
        return finishReason == null ? choice.addNull("finish_reason") : choice.add("finish_reason", finishReason);
    }

    private static JsonObjectBuilder object() {
        return Json.object();
    }

    private static JsonArrayBuilder array(JsonObjectBuilder element) {
        return jakarta.json.Json.createArrayBuilder().add(element);
    }

    /**
     * Builds the {@code data:} events of a chat or legacy completions stream. With
     * {@code include_usage}, OpenAI sends {@code "usage":null} on every chunk and one last chunk
     * with no choices and the usage, before {@code [DONE]}.
     */
    private static final class ChunkWriter {
        private final String id;
        private final String objectType;
        private final String model;
        private final boolean includeUsage;
        private final List<String> events = new ArrayList<>();

        ChunkWriter(String id, String objectType, String model, boolean includeUsage) {
            this.id = id;
            this.objectType = objectType;
            this.model = model;
            this.includeUsage = includeUsage;
        }

        void add(JsonObjectBuilder choice) {
            JsonObjectBuilder chunk = header().add("choices", array(choice));
            if (includeUsage) {
                chunk.addNull("usage");
            }
            events.add(data(chunk));
        }

        List<String> finish() {
            if (includeUsage) {
                events.add(data(header().add("choices", jakarta.json.Json.createArrayBuilder()).add("usage", usage())));
            }
            events.add("data: [DONE]\n\n");
            return events;
        }

        private JsonObjectBuilder header() {
            return object().add("id", id).add("object", objectType).add("created", CREATED).add("model", model);
        }

        private static String data(JsonObjectBuilder chunk) {
            return "data: " + chunk.build() + "\n\n";
        }
    }
}
