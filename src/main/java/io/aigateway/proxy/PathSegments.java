package io.aigateway.proxy;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of one URL path segment (RFC 3986 unreserved characters stay as they are). */
final class PathSegments {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    static String encode(String segment) {
        boolean clean = true;
        for (int i = 0; i < segment.length() && clean; i++)
            clean = unreserved(segment.charAt(i));
        if (clean)
            return segment;
        StringBuilder out = new StringBuilder(segment.length() + 16);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char)(b & 0xFF);
            if (unreserved(c))
                out.append(c);
            else
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
