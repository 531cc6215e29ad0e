package io.aigateway.notify;

import io.aigateway.config.NotificationChannelConfig;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Makes the channel of each {@code notifications.channels[]} entry. */
public final class Channels {

    private Channels() {
    }

    /**
     * @param clock   the time Feishu signatures carry
     * @param timeout how long one attempt may take, response headers included
     */
    public static NotificationChannel of(NotificationChannelConfig config, Clock clock, Duration timeout) {
        return switch (config.type()) {
            case WEBHOOK -> new WebhookChannel(config.url(), timeout);
            case SLACK -> new SlackChannel(config.url(), timeout);
            case FEISHU -> new FeishuChannel(config.url(), config.secret(), clock, timeout);
            case MATRIX -> new MatrixChannel(config.url(), config.roomId(), config.accessToken(), timeout);
        };
    }

    static HttpRequest post(URI url, String json, Duration timeout) {
        return HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
    }
}
