package io.aigateway.proxy;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The client's response as Jetty's proxy listener sees it. On the first content Jetty drops the response's length,
 * since a transformer could change it; a reply the gateway relays byte for byte keeps the backend's length
 * ({@link #keepLength(long)}), so that the container sends the headers and the whole reply in one write rather than
 * in chunks with a terminating chunk. Everything else goes to the response unchanged.
 */
final class LengthKeepingResponse extends HttpServletResponseWrapper {
    private volatile boolean keepLength;

    LengthKeepingResponse(HttpServletResponse response) {
        super(response);
    }

    /** Sets the length, which from now on is not dropped. */
    void keepLength(long length) {
        super.setContentLengthLong(length);
        keepLength = true;
    }

    @Override
    public void setContentLength(int length) {
        if (length >= 0 || !keepLength)
            super.setContentLength(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (length >= 0 || !keepLength)
            super.setContentLengthLong(length);
    }
}
