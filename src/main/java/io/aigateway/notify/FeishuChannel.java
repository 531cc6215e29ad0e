package io.aigateway.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Feishu or Lark custom bot: a POST of {@code {"msg_type":"text","content":{"text":...}}}, with
 * {@code timestamp} and {@code sign} when the bot has a signing secret.
 */
final class FeishuChannel implements NotificationChannel {
    private final URI url;
    private final String secret;
    private final Clock clock;
    private final Duration timeout;

    FeishuChannel(URI url, String secret, Clock clock, Duration timeout) {
        this.url = url;
        this.secret = secret;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public HttpRequest request(Notification notification) {
        String message = "\"msg_type\":\"text\",\"content\":{\"text\":" + JsonText.quote(notification.headline()) + "}";
        if (secret == null) {
            return Channels.post(url, "{" + message + "}", timeout);
        }
        // The bot refuses timestamps more than an hour off: the send time, not the event's.
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        return Channels.post(url, "{\"timestamp\":" + JsonText.quote(timestamp) + ",\"sign\":"
                + JsonText.quote(sign(timestamp, secret)) + "," + message + "}", timeout);
    }

    /** Feishu's scheme: the key is {@code timestamp + "\n" + secret} and the signed data is empty. */
    static String sign(String timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String describe() {
        return "feishu " + url.getHost();
    }
}
