package io.aigateway.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The real Redis of the test machine (127.0.0.1:6379). A test that needs it fails when the {@code CI} environment
 * variable is set and Redis is down, and is skipped with a loud message otherwise.
 */
public final class RedisAvailable {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 6379;

    private RedisAvailable() {
    }

    /** Checks Redis answers, then empties the database {@code db} (each test class has its own). */
    public static void require(int db) {
        String problem = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("SELECT " + db + "\r\nFLUSHDB\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[64];
            int read = 0;
            while (read < 10) {
                int n = in.read(answer, read, answer.length - read);
                if (n < 0)
                    break;
                read += n;
            }
            String text = new String(answer, 0, read, StandardCharsets.US_ASCII);
            if (!text.startsWith("+OK\r\n+OK"))
                problem = "Redis answered " + text.strip();
        } catch (IOException x) {
            problem = "Redis at " + HOST + ":" + PORT + " is unreachable: " + x;
        }
        if (problem == null)
            return;
        if (System.getenv("CI") != null)
            Assertions.fail(problem + " (CI is set: Redis tests are mandatory)");
        System.err.println("*** SKIPPING REDIS TESTS: " + problem + " ***");
        Assumptions.abort(problem);
    }
}
