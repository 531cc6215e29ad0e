package io.aigateway.config;

import java.net.URI;

/**
 * One entry of {@code notifications.channels[]}: where notifications are delivered.
 *
 * @param type        {@code notifications.channels[].type}: {@code webhook}, {@code feishu}, {@code matrix} or
 *                    {@code slack}
 * @param url         {@code notifications.channels[].url}: an absolute http(s) URL. For {@code webhook},
 *                    {@code slack} and {@code feishu} the URL that receives the POST (it usually carries a token of
 *                    its own, so it is treated as a secret: only its host is printed); for {@code matrix} the
 *                    homeserver's base URL, e.g. {@code https://matrix.example.org}, kept without a trailing
 *                    {@code /}
 * @param roomId      {@code notifications.channels[].room_id}: the Matrix room, e.g. {@code !abc:example.org};
 *                    required for {@code matrix}, refused for the other types
 * @param accessToken {@code notifications.channels[].access_token}: the Matrix access token; required for
 *                    {@code matrix}, refused for the other types. Secret: never printed by {@link #toString()}.
 * @param secret      {@code notifications.channels[].secret}: the Feishu/Lark bot's signing secret; optional, only
 *                    for {@code feishu}. Secret: never printed by {@link #toString()}.
 */
public record NotificationChannelConfig(
        NotificationChannelType type, URI url, String roomId, String accessToken, String secret) {

    /** @throws ConfigException naming each field that breaks its rule */
    public NotificationChannelConfig {
        Problems problems = new Problems();
        if (type == null) {
            problems.add("type", "is required");
        }
        url = checkUrl(problems, url, type == NotificationChannelType.MATRIX);
        if (type == NotificationChannelType.MATRIX) {
            if (Names.requireNonBlank(problems, "room_id", roomId) && hasLineBreak(roomId)) {
                problems.add("room_id", "must not contain CR or LF");
            }
            if (Names.requireNonBlank(problems, "access_token", accessToken) && hasLineBreak(accessToken)) {
                // Not repeated: it is a secret.
                problems.add("access_token", "must not contain CR or LF");
            }
        } else if (type != null) {
            if (roomId != null) {
                problems.add("room_id", "only allowed when type is matrix");
            }
            if (accessToken != null) {
                problems.add("access_token", "only allowed when type is matrix");
            }
        }
        if (secret != null) {
            if (type != null && type != NotificationChannelType.FEISHU) {
                problems.add("secret", "only allowed when type is feishu");
            } else {
                Names.requireNonBlank(problems, "secret", secret);
            }
        }
        problems.throwIfAny("NotificationChannelConfig");
    }

    /** A channel without a room, token or secret: {@code webhook}, {@code slack}, or an unsigned {@code feishu}. */
    public NotificationChannelConfig(NotificationChannelType type, URI url) {
        this(type, url, null, null, null);
    }

    /** Everything but the secrets: of the URL only scheme and host, of the token and secret only whether set. */
    @Override
    public String toString() {
        return "NotificationChannelConfig[type=" + type.configName() + ", url=" + url.getScheme() + "://"
                + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/..."
                + (roomId == null ? "" : ", room_id=" + roomId)
                + (accessToken == null ? "" : ", access_token=(set)")
                + (secret == null ? "" : ", secret=(set)") + "]";
    }

    private static URI checkUrl(Problems problems, URI url, boolean base) {
        if (url == null) {
            problems.add("url", "is required");
            return null;
        }
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            problems.add("url", "not an absolute http(s) URL");
        } else if (url.getRawFragment() != null) {
            problems.add("url", "must not have a fragment");
        } else if (base && url.getRawQuery() != null) {
            problems.add("url", "must not have a query (the homeserver's base URL, e.g. https://matrix.example.org)");
        } else if (base) {
            // Client API paths are appended to it.
            String text = url.toString();
            int end = text.length();
            while (text.charAt(end - 1) == '/') {
                end--;
            }
            return end == text.length() ? url : URI.create(text.substring(0, end));
        }
        return url;
    }

    private static boolean hasLineBreak(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
    }
}
