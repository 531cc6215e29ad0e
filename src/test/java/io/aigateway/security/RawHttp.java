package io.aigateway.security;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client refuses to send: raw request targets ({@code ..},
 * {@code %2F}), duplicate headers, lying {@code Content-Length}, chunked bodies written byte by byte, slow clients.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(URI server) {
        try {
            Socket socket = new Socket(server.getHost(), server.getPort());
            socket.setSoTimeout(20_000);
            return new RawHttp(socket);
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    /** One request and its response on a fresh connection. */
    static Response exchange(URI server, String request) {
        try (RawHttp http = connect(server)) {
            http.write(request);
            return http.read();
        }
    }

    /** A request head; {@code headers} are whole lines without their CRLF. */
    static String head(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers)
            head.append(header).append("\r\n");
        return head.append("\r\n").toString();
    }

    /** A POST with a JSON body and an exact Content-Length. */
    static String post(String target, String key, String json, String... headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(headers));
        if (key != null)
            all.add("Authorization: Bearer " + key);
        all.add("Content-Type: application/json");
        all.add("Content-Length: " + body.length);
        return head("POST", target, all.toArray(String[]::new)) + json;
    }

    void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    /** Writes, and reports whether the write failed because the peer had closed the connection. */
    boolean tryWrite(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException x) {
            return false;
        }
    }

    void timeout(Duration timeout) {
        try {
            socket.setSoTimeout((int)timeout.toMillis());
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    /** Reads one response (fails if none arrives within the socket timeout). */
    Response read() {
        try {
            String status = line();
            if (status == null)
                throw new AssertionError("the connection closed without a response");
            int code = Integer.parseInt(status.split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line; !(line = line()).isEmpty(); ) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
            }
            Response head = new Response(code, headers, new byte[0]);
            byte[] body;
            if ("chunked".equalsIgnoreCase(head.header("transfer-encoding")))
                body = chunked();
            else if (head.header("content-length") != null)
                body = in.readNBytes(Integer.parseInt(head.header("content-length")));
            else if (code == 204 || code == 304)
                body = new byte[0];
            else
                body = in.readAllBytes();
            return new Response(code, headers, body);
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    /** Reads one response, or returns null when the server closes the connection without one. */
    Response readOrNull() {
        try {
            in.mark(1);
            if (in.read() < 0)
                return null;
            in.reset();
        } catch (SocketTimeoutException x) {
            throw new AssertionError("no response and no close within the socket timeout");
        } catch (IOException reset) {
            return null;
        }
        return read();
    }

    /** Whether the server closes the connection within the time (reads until end of stream, discarding bytes). */
    boolean closedWithin(Duration time) {
        timeout(time);
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException x) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0)
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            if (b != '\r')
                line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** A response as read off the wire; header names lower-cased. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }
}
