package io.aigateway.limits;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's rate-limit headers for the caller's tightest limits: of the request limits and of the token limits, the
 * one with the least left. {@code x-ratelimit-limit-requests|tokens}, {@code x-ratelimit-remaining-requests|tokens}
 * and {@code x-ratelimit-reset-requests|tokens} (a duration such as {@code 1s} or {@code 6m0s}).
 */
public final class RateLimitHeaders {
    public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    public static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    public static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    public static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    public static final String RESET_TOKENS = "x-ratelimit-reset-tokens";
    /** Every header this class writes. */
    public static final List<String> NAMES = List.of(LIMIT_REQUESTS, REMAINING_REQUESTS, RESET_REQUESTS, LIMIT_TOKENS,
            REMAINING_TOKENS, RESET_TOKENS);

    private RateLimitHeaders() {
    }

    /** The headers, in order; empty when no rate limit applied. */
    public static Map<String, String> of(List<LimitState> states) {
        Map<String, String> headers = new LinkedHashMap<>();
        add(headers, "requests", tightest(states, Limit.Kind.REQUESTS));
        add(headers, "tokens", tightest(states, Limit.Kind.TOKENS));
        return headers;
    }

    private static LimitState tightest(List<LimitState> states, Limit.Kind kind) {
        LimitState tightest = null;
        for (LimitState state : states) {
            if (state.limit().kind() == kind && (tightest == null || state.remaining() < tightest.remaining())) {
                tightest = state;
            }
        }
        return tightest;
    }

    private static void add(Map<String, String> headers, String kind, LimitState state) {
        if (state == null) {
            return;
        }
        boolean requests = kind.equals("requests");
        headers.put(requests ? LIMIT_REQUESTS : LIMIT_TOKENS, Long.toString(state.limit().limit()));
        headers.put(requests ? REMAINING_REQUESTS : REMAINING_TOKENS, Long.toString(state.remaining()));
        headers.put(requests ? RESET_REQUESTS : RESET_TOKENS, duration(state.resetMillis()));
    }

    /** OpenAI's (Go's) duration style: {@code 0s}, {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        long rest = millis % 60_000;
        String seconds = rest % 1000 == 0 ? Long.toString(rest / 1000)
                : java.math.BigDecimal.valueOf(rest, 3).stripTrailingZeros().toPlainString();
        return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }
}
