package io.aigateway.log;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text meant for a log: the values of credential headers in any of the ways they get printed
 * ({@code Authorization: Bearer ...}, {@code FIELD(api-key: ...)}, {@code "x-api-key":"..."}), bearer tokens,
 * OpenAI-style {@code sk-} keys, and every backend key and header value of the current config, wherever it appears.
 * Gateway keys are known only by hash, so the shapes above are what keeps them out.
 */
public final class SecretRedactor {
    public static final String MASK = "[REDACTED]";

    private static final Pattern CREDENTIAL_HEADER = Pattern.compile(
        "(?i)(authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie)([\"']?\\s*[:=]\\s*[\"']?)([^\\r\\n\"',;)}\\]]*)");
    /** Jetty's HTTP parser at DEBUG: {@code headerString=[api-key], valueString=[...]}. */
    private static final Pattern PARSED_HEADER = Pattern.compile(
        "(?i)(headerString=\\[(?:authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie)\\],\\s*valueString=\\[)([^\\]]*)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)([^\\s\"',;)}\\]]+)");
    private static final Pattern OPENAI_KEY = Pattern.compile("sk-[A-Za-z0-9_\\-]{8,}");
    /** Shorter values are too likely to be ordinary words to be masked everywhere. */
    private static final int MIN_KNOWN_SECRET = 8;

    private static volatile List<String> knownSecrets = List.of();

    private SecretRedactor() {
    }

    /** Replaces the exact secrets to mask (backend keys, backend header values) with those of a new config. */
    public static void rememberSecrets(Collection<String> secrets) {
        knownSecrets = secrets.stream().filter(s -> s != null && s.length() >= MIN_KNOWN_SECRET).distinct().toList();
    }

    /** The text with every secret masked; the same instance when there was nothing to mask. */
    public static String redact(String text) {
        if (text == null || text.isEmpty())
            return text;
        String result = text;
        for (String secret : knownSecrets) {
            if (result.contains(secret))
                result = result.replace(secret, MASK);
        }
        if (mayHoldCredential(result)) {
            result = replace(CREDENTIAL_HEADER, result, "$1$2" + MASK);
            result = replace(PARSED_HEADER, result, "$1" + MASK);
            result = replace(BEARER, result, "$1" + MASK);
        }
        if (result.contains("sk-"))
            result = replace(OPENAI_KEY, result, MASK);
        return result.equals(text) ? text : result;
    }

    /** A cheap test that skips the regular expressions for the lines that cannot match them. */
    private static boolean mayHoldCredential(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || c == '=' || c == ' ') {
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                return lower.contains("authoriz") || lower.contains("api-key") || lower.contains("cookie") || lower.contains("bearer");
            }
        }
        return false;
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(replacement) : text;
    }
}
