package io.aigateway.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a request body without blocking, up to a limit. The body is held whole because it is small, must be
 * replayable for retries, and has its model rewritten. Crossing the limit stops reading at once: the rest is never
 * read, the connection is closed after the 413.
 */
final class BodyReader implements ReadListener {
    /** What happens when the body has been read, or could not be. */
    interface Callback {
        void onBody(byte[] body);

        void onTooLarge();

        void onError(Throwable failure);
    }

    private final ServletInputStream input;
    private final long limit;
    private final Callback callback;
    private byte[] buffer;
    private int length;
    private boolean done;

    BodyReader(ServletInputStream input, long contentLength, long limit, Callback callback) {
        this.input = input;
        this.limit = limit;
        this.callback = callback;
        this.buffer = new byte[(int)Math.min(contentLength > 0 ? contentLength + 1 : 4096, limit + 1)];
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done && input.isReady()) {
            if (length == buffer.length)
                buffer = Arrays.copyOf(buffer, (int)Math.min((long)buffer.length * 2, limit + 1));
            int read = input.read(buffer, length, buffer.length - length);
            if (read < 0)
                return; // onAllDataRead follows
            length += read;
            if (length > limit) {
                done = true;
                callback.onTooLarge();
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (done)
            return;
        done = true;
        callback.onBody(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
    }

    @Override
    public void onError(Throwable failure) {
        if (done)
            return;
        done = true;
        callback.onError(failure);
    }
}
