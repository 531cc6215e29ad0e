package io.aigateway.auth;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Enumeration;
import java.util.Locale;

/** Finds the gateway key a client sent, in whichever of the three usual headers it used. */
final class ApiKeys {
    /** A key was sent in more than one place and the values differ. */
    static final String AMBIGUOUS = new String("ambiguous");

    private ApiKeys() {
    }

    /**
     * @return the key, null when none was sent, or {@link #AMBIGUOUS} (compare by identity) when different keys
     *         were sent: a request must not be able to pick which of two credentials is checked
     */
    static String extract(HttpServletRequest request) {
        String found = null;
        for (Enumeration<String> values = request.getHeaders("Authorization"); values.hasMoreElements(); ) {
            String value = values.nextElement().trim();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer "))
                value = value.substring(7).trim();
            else
                return AMBIGUOUS; // an Authorization header that is not a bearer token is not ours to guess at
            found = merge(found, value);
            if (found == AMBIGUOUS)
                return found;
        }
        for (String header : new String[]{"api-key", "x-api-key"}) {
            for (Enumeration<String> values = request.getHeaders(header); values.hasMoreElements(); ) {
                found = merge(found, values.nextElement().trim());
                if (found == AMBIGUOUS)
                    return found;
            }
        }
        return found == null || found.isEmpty() ? null : found;
    }

    private static String merge(String found, String value) {
        if (value.isEmpty())
            return found;
        if (found == null || found.equals(value))
            return value;
        return AMBIGUOUS;
    }
}
