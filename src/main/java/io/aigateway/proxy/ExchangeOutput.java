package io.aigateway.proxy;

import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The response transformer of a whole exchange. Jetty asks for one per client request and keeps it, but each
 * attempt needs its own (a gate, a converter, a tap), so this delegates to the current attempt's. It also notices
 * the first byte that really goes to the client: from then on the response is committed and failover is over.
 */
final class ExchangeOutput implements ContentTransformer {
    private volatile ContentTransformer current = ContentTransformer.IDENTITY;
    private volatile Runnable onFirstOutput;
    private volatile boolean committed;

    /** The transformer of a new attempt, and what to do when it first emits content. */
    void next(ContentTransformer transformer, Runnable onFirstOutput) {
        this.current = transformer;
        this.onFirstOutput = onFirstOutput;
    }

    boolean committed() {
        return committed;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException {
        int before = output.size();
        current.transform(input, finished, output);
        if (committed)
            return;
        for (int i = before; i < output.size(); i++) {
            if (output.get(i).hasRemaining()) {
                committed = true;
                Runnable callback = onFirstOutput;
                if (callback != null)
                    callback.run();
                return;
            }
        }
    }
}
