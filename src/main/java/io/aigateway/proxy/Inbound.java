package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A client request path understood: which operation, the model named by an Azure-style path, the id of a stored
 * response, or the rest of a pass-through path. Accepts OpenAI paths ({@code /v1/...}), Azure dated paths
 * ({@code /openai/deployments/{model}/...}) and Azure v1 paths ({@code /openai/v1/...}).
 *
 * @param pathModel   the public model named in an Azure deployments path, else null
 * @param responseId  the id of {@code /responses/{id}}, else null
 * @param subPath     what follows the operation: {@code /input_items} after a response id, or the whole pass-through
 *                    path ({@code images/generations}); never starts with a slash for pass-through
 */
public record Inbound(Operation operation, String pathModel, String responseId, String subPath) {
    /** Path segments are limited to characters that need no encoding and can't change the upstream path's meaning. */
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._~:@!$'()*+,;=-]+");

    /** The result of parsing: an inbound request or the error to answer. */
    public record Parsed(Inbound inbound, ApiError error) {
    }

    /**
     * @param method the HTTP method
     * @param path   the decoded path inside the webapp ({@code servletPath + pathInfo}), e.g. {@code /v1/embeddings}
     */
    public static Parsed parse(String method, String path) {
        List<String> segments = segments(path);
        if (segments == null)
            return new Parsed(null, ApiErrors.unknownRoute(method, path));
        Inbound inbound = null;
        if (segments.size() >= 2 && segments.get(0).equals("v1"))
            inbound = openAi(segments.subList(1, segments.size()));
        else if (segments.size() >= 3 && segments.get(0).equals("openai") && segments.get(1).equals("v1"))
            inbound = openAi(segments.subList(2, segments.size()));
        else if (segments.size() >= 2 && segments.get(0).equals("openai"))
            inbound = azure(segments.subList(1, segments.size()));
        if (inbound == null)
            return new Parsed(null, ApiErrors.unknownRoute(method, path));
        if (!inbound.allows(method))
            return new Parsed(null, ApiErrors.methodNotAllowed(method, path));
        return new Parsed(inbound, null);
    }

    private static Inbound openAi(List<String> rest) {
        String first = rest.get(0);
        if (rest.size() == 2 && first.equals("chat") && rest.get(1).equals("completions"))
            return new Inbound(Operation.CHAT_COMPLETIONS, null, null, "");
        if (rest.size() == 1 && first.equals("completions"))
            return new Inbound(Operation.COMPLETIONS, null, null, "");
        if (rest.size() == 1 && first.equals("embeddings"))
            return new Inbound(Operation.EMBEDDINGS, null, null, "");
        if (first.equals("responses"))
            return responses(rest);
        if (first.equals("models"))
            return null; // served by the models servlet; reaching here means an unsupported sub-path
        return new Inbound(Operation.PASSTHROUGH, null, null, String.join("/", rest));
    }

    private static Inbound azure(List<String> rest) {
        String first = rest.get(0);
        if (first.equals("deployments") && rest.size() >= 3) {
            String model = rest.get(1);
            List<String> op = rest.subList(2, rest.size());
            if (op.size() == 2 && op.get(0).equals("chat") && op.get(1).equals("completions"))
                return new Inbound(Operation.CHAT_COMPLETIONS, model, null, "");
            if (op.size() == 1 && op.get(0).equals("completions"))
                return new Inbound(Operation.COMPLETIONS, model, null, "");
            if (op.size() == 1 && op.get(0).equals("embeddings"))
                return new Inbound(Operation.EMBEDDINGS, model, null, "");
            if (op.size() == 1 && op.get(0).equals("responses"))
                return new Inbound(Operation.RESPONSES, model, null, "");
            return null;
        }
        if (first.equals("responses"))
            return responses(rest);
        return null;
    }

    private static Inbound responses(List<String> rest) {
        if (rest.size() == 1)
            return new Inbound(Operation.RESPONSES, null, null, "");
        String suffix = rest.size() > 2 ? "/" + String.join("/", rest.subList(2, rest.size())) : "";
        return new Inbound(Operation.RESPONSE_ITEM, null, rest.get(1), suffix);
    }

    private boolean allows(String method) {
        return switch (operation) {
            case CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS, RESPONSES -> method.equals("POST");
            case RESPONSE_ITEM -> subPath.isEmpty()
                ? method.equals("GET") || method.equals("DELETE")
                : method.equals("GET") || method.equals("POST");
            case PASSTHROUGH -> true;
        };
    }

    /** Splits a path into safe segments, or null if any segment is empty, a dot segment, or has other characters. */
    private static List<String> segments(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/')
            return null;
        List<String> segments = new ArrayList<>(6);
        int start = 1;
        int length = path.length();
        if (length > 1 && path.charAt(length - 1) == '/')
            length--;
        while (start <= length) {
            int end = path.indexOf('/', start);
            if (end < 0 || end > length)
                end = length;
            String segment = path.substring(start, end);
            if (segment.equals(".") || segment.equals("..") || !SAFE_SEGMENT.matcher(segment).matches())
                return null;
            segments.add(segment);
            start = end + 1;
        }
        return segments;
    }
}
