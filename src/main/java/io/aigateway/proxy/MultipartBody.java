package io.aigateway.proxy;

import io.aigateway.api.ApiErrors;
import org.eclipse.jetty.http.MultiPart;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (audio transcriptions, image edits) whose {@code model} field routes it. The
 * parts are located by their boundaries and only the {@code model} part's value is replaced; file parts are never
 * copied apart from the one splice.
 */
public final class MultipartBody implements RoutableBody {
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;
    private final String model;
    private final int valueStart;
    private final int valueEnd;

    private MultipartBody(byte[] bytes, String model, int valueStart, int valueEnd) {
        this.bytes = bytes;
        this.model = model;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
    }

    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    public static MultipartBody parse(byte[] bytes, String contentType) throws InvalidBodyException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty())
            throw new InvalidBodyException(ApiErrors.invalidField(null, "The multipart body has no boundary."));
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int part = indexOf(bytes, delimiter, 0);
        while (part >= 0) {
            int headersStart = part + delimiter.length;
            if (headersStart + 2 <= bytes.length && bytes[headersStart] == '-' && bytes[headersStart + 1] == '-')
                break;
            int headersEnd = indexOf(bytes, HEADER_END, headersStart);
            if (headersEnd < 0)
                break;
            int valueStart = headersEnd + HEADER_END.length;
            int valueEnd = indexOf(bytes, nextDelimiter, valueStart);
            if (valueEnd < 0)
                break;
            String headers = new String(bytes, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            if (namesModelField(headers)) {
                String model = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8).trim();
                return new MultipartBody(bytes, model, valueStart, valueEnd);
            }
            part = valueEnd + 2;
        }
        return new MultipartBody(bytes, null, -1, -1);
    }

    private static boolean namesModelField(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equalsIgnoreCase("content-disposition"))
                continue;
            for (String parameter : line.substring(colon + 1).split(";")) {
                String p = parameter.trim();
                if (p.equals("name=\"model\"") || p.equals("name=model"))
                    return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j])
                    continue outer;
            }
            return i;
        }
        return -1;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public byte[] withModel(String upstreamModel) {
        if (model == null || upstreamModel.equals(model))
            return bytes;
        byte[] value = upstreamModel.getBytes(StandardCharsets.UTF_8);
        byte[] result = Arrays.copyOf(bytes, bytes.length - (valueEnd - valueStart) + value.length);
        System.arraycopy(value, 0, result, valueStart, value.length);
        System.arraycopy(bytes, valueEnd, result, valueStart + value.length, bytes.length - valueEnd);
        return result;
    }
}
