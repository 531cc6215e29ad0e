package io.aigateway.proxy;

import org.eclipse.jetty.client.Response;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A backend's failed reply kept back from the client while another deployment is tried. If every attempt fails,
 * the client gets the last one of these as the backend sent it. Bounded: a longer body makes it {@link #truncated()}
 * and the exchange aborts it.
 */
final class HeldAnswer {
    static final int MAX_BODY = 64 * 1024;

    private final Response response;
    private byte[] body = new byte[0];
    private boolean truncated;

    HeldAnswer(Response response) {
        this.response = response;
    }

    Response response() {
        return response;
    }

    int status() {
        return response.getStatus();
    }

    /** @return false when the body would exceed the bound: stop reading it */
    boolean append(ByteBuffer content) {
        int size = content.remaining();
        if (body.length + size > MAX_BODY) {
            truncated = true;
            return false;
        }
        int offset = body.length;
        body = Arrays.copyOf(body, offset + size);
        content.get(body, offset, size);
        return true;
    }

    boolean truncated() {
        return truncated;
    }

    byte[] body() {
        return body;
    }
}
