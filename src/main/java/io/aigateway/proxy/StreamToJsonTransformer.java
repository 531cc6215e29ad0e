package io.aigateway.proxy;

import io.aigateway.proxy.stream.StreamToJson;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * For a client that asked for JSON of a deployment that only streams: assembles the event stream as it arrives and
 * emits the non-stream reply when it ends.
 */
final class StreamToJsonTransformer implements ContentTransformer {
    private final StreamToJson assembler = new StreamToJson();

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException {
        if (input.hasRemaining())
            assembler.feed(input);
        if (finished) {
            assembler.finish();
            output.add(ByteBuffer.wrap(assembler.toJson()));
        }
    }
}
