package io.aigateway.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * A generic webhook: a JSON POST of {@code {"event","subject","text","at"}} to the configured URL.
 */
final class WebhookChannel implements NotificationChannel {
    private final URI url;
    private final Duration timeout;

    WebhookChannel(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public HttpRequest request(Notification notification) {
        String body = "{\"event\":" + JsonText.quote(notification.type().configName())
                + ",\"subject\":" + JsonText.quote(notification.subject())
                + ",\"text\":" + JsonText.quote(notification.headline())
                + ",\"at\":" + JsonText.quote(notification.at().toString()) + "}";
        return Channels.post(url, body, timeout);
    }

    @Override
    public String describe() {
        return "webhook " + url.getHost();
    }
}
