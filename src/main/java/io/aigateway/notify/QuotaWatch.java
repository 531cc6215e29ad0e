package io.aigateway.notify;

import io.aigateway.config.NotificationEventType;
import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;

import java.util.function.Consumer;

/**
 * Tells operators when a tenant has used up its quota: a request the gateway refused with {@code insufficient_quota}
 * becomes a {@code quota_exhausted} notification about its tenant (a key's own quota too, with the key's id in the
 * text). Every refused request of the period says the same, so the notifier's deduplication leaves one message per
 * tenant per {@code notifications.min_interval}.
 */
public final class QuotaWatch implements RequestListener {
    private final Consumer<Notification> publish;

    public QuotaWatch(Consumer<Notification> publish) {
        this.publish = publish;
    }

    @Override
    public void onRequest(RequestRecord record) {
        if (!"insufficient_quota".equals(record.errorCode()) || record.tenant() == null || record.attempts() > 0)
            return;
        publish.accept(new Notification(NotificationEventType.QUOTA_EXHAUSTED, "tenant " + record.tenant(),
            "tenant " + record.tenant() + " has used up its quota (key " + record.keyId() + " refused with"
                + " insufficient_quota); it is refused until the quota resets", record.start()));
    }
}
