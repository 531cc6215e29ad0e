package io.aigateway.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** A Slack incoming webhook: a POST of {@code {"text": ...}}. */
final class SlackChannel implements NotificationChannel {
    private final URI url;
    private final Duration timeout;

    SlackChannel(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public HttpRequest request(Notification notification) {
        return Channels.post(url, "{\"text\":" + JsonText.quote(notification.headline()) + "}", timeout);
    }

    @Override
    public String describe() {
        return "slack " + url.getHost();
    }
}
