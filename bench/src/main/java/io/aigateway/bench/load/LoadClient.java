package io.aigateway.bench.load;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load generator's HTTP client: Jetty's, sized for thousands of concurrent streams, sending the same bytes
 * to every target so that the only difference between them is what sits in the path.
 */
public final class LoadClient implements AutoCloseable {

    /** The tenant key the gateway's config accepts; the mock and nginx ignore it. */
    public static final String TENANT_KEY = "sk-bench-tenant";

    /** Enough for the open-loop runs: a target that falls behind makes requests queue here, and that time counts. */
    public static final int REQUEST_CONNECTIONS = 512;
    /** One connection per open stream, for up to 2,000 streams and more. */
    public static final int STREAM_CONNECTIONS = 8192;

    private final HttpClient client;

    /** A client opening at most {@code maxConnections} connections to each target. */
    public LoadClient(int maxConnections) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("load");
        client = new HttpClient();
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(maxConnections);
        client.setMaxRequestsQueuedPerDestination(1 << 20);
        client.setConnectTimeout(5_000);
        client.setIdleTimeout(120_000);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear(); // no Accept-Encoding: the mock's bytes arrive as sent
        client.start();
    }

    /** A chat POST with the tenant key and the given extra headers (the mock's pacing). */
    Request chat(Target target, byte[] body, Map<String, String> headers, long timeoutMs) {
        return client.newRequest(target.chatUri())
            .method(HttpMethod.POST)
            .headers(fields -> {
                fields.put("Authorization", "Bearer " + TENANT_KEY);
                headers.forEach(fields::put);
            })
            .body(new BytesRequestContent("application/json", body))
            .timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
