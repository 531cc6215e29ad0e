package io.aigateway.notify;

import java.net.http.HttpRequest;

/**
 * A place notifications are delivered to. A channel only says what the HTTP request looks like; sending, timeouts
 * and retries are the {@link Notifier}'s, which sends the same request again on a retry (so a Matrix transaction
 * id or a Feishu signature stays that of the first attempt).
 */
public interface NotificationChannel {

    /** The request that delivers the notification; its text is already redacted. */
    HttpRequest request(Notification notification);

    /** How the channel is named in logs: its type and host, never its token-bearing URL. */
    String describe();
}
