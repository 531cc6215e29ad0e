package io.aigateway.requestlog;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.routing.FailureClass;
import io.aigateway.usage.Usage;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.StringWriter;

/**
 * One JSON line per request on the log4j2 logger {@value #LOGGER} at INFO, for log pipelines that want the request
 * log without the database. Route or silence it in the log4j2 configuration like any logger.
 */
public final class RequestLogLine implements RequestListener {
    /** The logger's name. */
    public static final String LOGGER = "aigateway.request";

    private static final Logger LOG = LogManager.getLogger(LOGGER);

    @Override
    public void onRequest(RequestRecord record) {
        if (LOG.isInfoEnabled()) {
            LOG.info(json(record));
        }
    }

    /** The record as one line of JSON: never a key or a body. */
    static String json(RequestRecord r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = Json.createGenerator(out)) {
            json.writeStartObject();
            json.write("request_id", r.requestId());
            json.write("time", r.start().toString());
            write(json, "tenant", r.tenant());
            write(json, "key_id", r.keyId());
            write(json, "client_ip", r.clientIp());
            write(json, "endpoint", r.endpoint());
            write(json, "operation", r.operation());
            write(json, "model", r.model());
            write(json, "backend", r.backend());
            write(json, "deployment", r.deployment());
            json.write("attempts", r.attempts());
            json.writeStartArray("failures");
            for (FailureClass failure : r.failures()) {
                json.write(failure.name());
            }
            json.writeEnd();
            json.write("status", r.status());
            write(json, "error_code", r.errorCode());
            json.write("latency_ms", r.duration().toMillis());
            if (r.firstByte() == null) {
                json.writeNull("first_byte_ms");
            } else {
                json.write("first_byte_ms", r.firstByte().toMillis());
            }
            json.write("stream", r.stream());
            json.write("cancelled", r.cancelled());
            Usage usage = r.usage();
            if (usage != null) {
                json.write("prompt_tokens", usage.promptTokens());
                json.write("completion_tokens", usage.completionTokens());
                json.write("cached_tokens", usage.cachedTokens());
                json.write("tokens_estimated", usage.estimated());
                json.write("cost", usage.cost());
            }
            json.writeEnd();
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, String name, String value) {
        if (value == null) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }
}
