package io.aigateway.proxy;

import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Two response transformers one after the other: what the first emits is the second's input. */
final class TransformerChain implements ContentTransformer {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ContentTransformer first;
    private final ContentTransformer second;
    private final List<ByteBuffer> between = new ArrayList<>(2);

    TransformerChain(ContentTransformer first, ContentTransformer second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException {
        first.transform(input, finished, between);
        int n = between.size();
        if (n == 0) {
            if (finished)
                second.transform(EMPTY, true, output);
            return;
        }
        for (int i = 0; i < n; i++)
            second.transform(between.get(i), finished && i == n - 1, output);
        between.clear();
    }
}
