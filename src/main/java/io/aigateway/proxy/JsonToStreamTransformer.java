package io.aigateway.proxy;

import io.aigateway.proxy.stream.JsonToStream;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * For a client that asked for a stream of a deployment that only answers JSON: holds the JSON reply (bounded) and
 * emits it as an OpenAI event stream when it ends. A reply that is not a completion is relayed as it came.
 */
final class JsonToStreamTransformer implements ContentTransformer {
    static final int MAX_REPLY = 32 * 1024 * 1024;

    private final boolean includeUsage;
    private byte[] reply = new byte[8192];
    private int length;

    JsonToStreamTransformer(boolean includeUsage) {
        this.includeUsage = includeUsage;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException {
        int size = input.remaining();
        if (length + size > MAX_REPLY)
            throw new IOException("Reply over " + MAX_REPLY + " bytes: too large to convert into a stream");
        if (length + size > reply.length)
            reply = Arrays.copyOf(reply, Math.max(reply.length * 2, length + size));
        input.get(reply, length, size);
        length += size;
        if (!finished)
            return;
        byte[] json = Arrays.copyOf(reply, length);
        try {
            output.add(ByteBuffer.wrap(JsonToStream.convert(json, includeUsage)));
        } catch (IllegalArgumentException notACompletion) {
            output.add(ByteBuffer.wrap(json));
        }
    }
}
