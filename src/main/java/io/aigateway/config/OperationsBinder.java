package io.aigateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Binds the sections about running the gateway rather than routing requests, for {@link ConfigBinder}: metrics,
 * notifications, security, logging, the store, the admin API, the request log and reloading. Their field names and
 * defaults live here.
 */
final class OperationsBinder {
    private static final Set<String> SECURITY_FIELDS = Set.of("allowed_backend_hosts");
    private static final Set<String> METRICS_FIELDS = Set.of("enabled", "path", "access");
    private static final Set<String> NOTIFICATIONS_FIELDS = Set.of("channels", "events", "min_interval");
    private static final Set<String> LOGGING_FIELDS = Set.of("channels");
    private static final Set<String> LOG_CHANNEL_FIELDS = Set.of("name", "file", "level", "max_size_mb",
            "max_backups", "max_age_days", "compress");
    private static final Set<String> NOTIFICATION_CHANNEL_FIELDS = Set.of("type", "url", "room_id", "access_token",
            "secret");
    private static final Set<String> STORE_FIELDS = Set.of("url", "user", "password", "jndi", "master_key");
    private static final Set<String> ADMIN_FIELDS = Set.of("path", "keys");
    private static final Set<String> REQUEST_LOG_FIELDS = Set.of("enabled", "retention_days", "queue_size",
            "capture_bodies", "max_body_bytes");
    private static final Set<String> RELOAD_FIELDS = Set.of("watch", "poll_interval");

    private OperationsBinder() {
    }

    static StoreConfig store(ConfigNode node) {
        if (node.isAbsent()) {
            return StoreConfig.defaults();
        }
        if (!node.expectFields(STORE_FIELDS)) {
            return null;
        }
        String url = node.field("url").string();
        String user = node.field("user").string();
        String password = node.field("password").string();
        String jndi = ConfigBinder.orElse(node.field("jndi").string(), StoreConfig.DEFAULT_JNDI);
        String masterKey = node.field("master_key").string();
        return node.build(() -> new StoreConfig(url, user, password, jndi, masterKey));
    }

    static AdminConfig admin(ConfigNode node) {
        if (node.isAbsent()) {
            return AdminConfig.defaults();
        }
        if (!node.expectFields(ADMIN_FIELDS)) {
            return null;
        }
        String path = ConfigBinder.orElse(node.field("path").string(), AdminConfig.DEFAULT_PATH);
        List<KeyConfig> keys = ConfigBinder.list(node.field("keys"), ConfigBinder::tenantKey);
        return node.build(() -> new AdminConfig(path, keys));
    }

    static RequestLogConfig requestLog(ConfigNode node) {
        if (node.isAbsent()) {
            return RequestLogConfig.defaults();
        }
        if (!node.expectFields(REQUEST_LOG_FIELDS)) {
            return null;
        }
        boolean enabled = ConfigBinder.orElse(node.field("enabled").bool(), true);
        int retentionDays = ConfigBinder.orElse(node.field("retention_days").integer(), RequestLogConfig.DEFAULT_RETENTION_DAYS);
        int queueSize = ConfigBinder.orElse(node.field("queue_size").integer(), RequestLogConfig.DEFAULT_QUEUE_SIZE);
        boolean captureBodies = ConfigBinder.orElse(node.field("capture_bodies").bool(), false);
        int maxBodyBytes = ConfigBinder.orElse(node.field("max_body_bytes").integer(), RequestLogConfig.DEFAULT_MAX_BODY_BYTES);
        return node.build(() -> new RequestLogConfig(enabled, retentionDays, queueSize, captureBodies, maxBodyBytes));
    }

    static ReloadConfig reload(ConfigNode node) {
        if (node.isAbsent()) {
            return ReloadConfig.defaults();
        }
        if (!node.expectFields(RELOAD_FIELDS)) {
            return null;
        }
        boolean watch = ConfigBinder.orElse(node.field("watch").bool(), true);
        Duration pollInterval = ConfigBinder.duration(node.field("poll_interval"), ReloadConfig.DEFAULT_POLL_INTERVAL);
        return node.build(() -> new ReloadConfig(watch, pollInterval));
    }

    static SecurityConfig security(ConfigNode node) {
        if (node.isAbsent()) {
            return SecurityConfig.defaults();
        }
        if (!node.expectFields(SECURITY_FIELDS)) {
            return null;
        }
        ConfigNode hosts = node.field("allowed_backend_hosts");
        List<String> allowed = hosts.isAbsent() ? null : ConfigBinder.strings(hosts);
        if (!hosts.isAbsent() && allowed == null) {
            return null;
        }
        return node.build(() -> new SecurityConfig(allowed));
    }

    static MetricsConfig metrics(ConfigNode node) {
        if (node.isAbsent()) {
            return MetricsConfig.defaults();
        }
        if (!node.expectFields(METRICS_FIELDS)) {
            return null;
        }
        boolean enabled = ConfigBinder.orElse(node.field("enabled").bool(), true);
        String path = ConfigBinder.orElse(node.field("path").string(), MetricsConfig.DEFAULT_PATH);
        ConfigNode accessNode = node.field("access");
        MetricsAccess access = accessNode.isAbsent() ? MetricsAccess.OPEN : metricsAccess(accessNode);
        return node.build(() -> new MetricsConfig(enabled, path, access));
    }

    static MetricsAccess metricsAccess(ConfigNode node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        return MetricsAccess.fromConfigName(name).orElseGet(() -> {
            node.problem("'" + name + "' is not a metrics access (use open, admin or disabled)");
            return null;
        });
    }

    static NotificationsConfig notifications(ConfigNode node) {
        if (node.isAbsent()) {
            return NotificationsConfig.defaults();
        }
        if (!node.expectFields(NOTIFICATIONS_FIELDS)) {
            return null;
        }
        List<NotificationChannelConfig> channels = ConfigBinder.list(node.field("channels"), OperationsBinder::notificationChannel);
        ConfigNode eventsNode = node.field("events");
        Set<NotificationEventType> events = eventsNode.isAbsent()
                ? EnumSet.allOf(NotificationEventType.class) : notificationEvents(eventsNode);
        Duration minInterval = ConfigBinder.duration(node.field("min_interval"), NotificationsConfig.DEFAULT_MIN_INTERVAL);
        return node.build(() -> new NotificationsConfig(channels, events, minInterval));
    }

    static NotificationChannelConfig notificationChannel(ConfigNode node) {
        if (!node.expectFields(NOTIFICATION_CHANNEL_FIELDS)) {
            return null;
        }
        ConfigNode typeNode = node.field("type");
        String typeName = typeNode.string();
        NotificationChannelType type = typeName == null ? null
                : NotificationChannelType.fromConfigName(typeName).orElseGet(() -> {
                    typeNode.problem("'" + typeName + "' is not a channel type (use webhook, feishu, matrix or slack)");
                    return null;
                });
        URI url = ConfigBinder.endpoint(node.field("url"));
        String roomId = node.field("room_id").string();
        String accessToken = node.field("access_token").string();
        String secret = node.field("secret").string();
        return node.build(() -> new NotificationChannelConfig(type, url, roomId, accessToken, secret));
    }

    /** Null when any name is wrong (each is reported), so that the record does not report the list again. */
    static Set<NotificationEventType> notificationEvents(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items == null) {
            return null;
        }
        Set<NotificationEventType> events = EnumSet.noneOf(NotificationEventType.class);
        boolean valid = true;
        for (ConfigNode item : items) {
            String name = item.string();
            if (name == null) {
                valid = false;
                continue;
            }
            NotificationEventType event = NotificationEventType.fromConfigName(name).orElse(null);
            if (event == null) {
                item.problem("'" + name + "' is not an event (use " + NotificationEventType.configNames() + ")");
                valid = false;
            } else if (!events.add(event)) {
                item.problem("duplicate event '" + name + "'");
                valid = false;
            }
        }
        return valid ? events : null;
    }

    static LoggingConfig logging(ConfigNode node) {
        if (node.isAbsent()) {
            return LoggingConfig.defaults();
        }
        if (!node.expectFields(LOGGING_FIELDS)) {
            return null;
        }
        ConfigNode channelsNode = node.field("channels");
        List<LogChannelConfig> channels = channelsNode.isAbsent() ? List.of()
                : ConfigBinder.list(channelsNode, OperationsBinder::logChannel);
        return node.build(() -> new LoggingConfig(channels));
    }

    static LogChannelConfig logChannel(ConfigNode node) {
        if (!node.expectFields(LOG_CHANNEL_FIELDS)) {
            return null;
        }
        String name = node.field("name").string();
        String file = node.field("file").string();
        String level = ConfigBinder.orElse(node.field("level").string(), LogChannelConfig.DEFAULT_LEVEL);
        int maxSizeMb = ConfigBinder.orElse(node.field("max_size_mb").integer(), LogChannelConfig.DEFAULT_MAX_SIZE_MB);
        int maxBackups = ConfigBinder.orElse(node.field("max_backups").integer(), LogChannelConfig.DEFAULT_MAX_BACKUPS);
        int maxAgeDays = ConfigBinder.orElse(node.field("max_age_days").integer(), LogChannelConfig.DEFAULT_MAX_AGE_DAYS);
        boolean compress = ConfigBinder.orElse(node.field("compress").bool(), true);
        return node.build(() -> new LogChannelConfig(name, file, level, maxSizeMb, maxBackups, maxAgeDays,
                compress));
    }
}
