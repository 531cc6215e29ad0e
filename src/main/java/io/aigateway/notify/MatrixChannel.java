package io.aigateway.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Matrix room through the client-server API: {@code PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/
 * {txnId}} with the access token as a bearer token and {@code {"msgtype":"m.text","body":...}}.
 */
final class MatrixChannel implements NotificationChannel {
    private final URI homeserver;
    private final String roomId;
    private final String accessToken;
    private final Duration timeout;
    // Unique per message and reused by its retries, so the homeserver delivers a retried message once.
    private final String txnPrefix = "aigw-" + Long.toString(System.nanoTime(), 36) + "-";
    private final AtomicLong txnCounter = new AtomicLong();

    MatrixChannel(URI homeserver, String roomId, String accessToken, Duration timeout) {
        this.homeserver = homeserver;
        this.roomId = roomId;
        this.accessToken = accessToken;
        this.timeout = timeout;
    }

    @Override
    public HttpRequest request(Notification notification) {
        String txnId = txnPrefix + txnCounter.incrementAndGet();
        URI target = URI.create(homeserver + "/_matrix/client/v3/rooms/" + pathSegment(roomId)
                + "/send/m.room.message/" + pathSegment(txnId));
        String body = "{\"msgtype\":\"m.text\",\"body\":" + JsonText.quote(notification.headline()) + "}";
        return HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + accessToken)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** Room ids hold {@code !} and {@code :}: percent-encoded as one path segment. */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String describe() {
        return "matrix " + homeserver.getHost();
    }
}
