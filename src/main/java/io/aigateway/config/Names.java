package io.aigateway.config;

/** The checks that every name in the config shares. */
final class Names {

    private Names() {
    }

    /** Reports a missing or blank value; returns whether it is usable. */
    static boolean requireNonBlank(Problems problems, String path, String value) {
        if (value == null) {
            problems.add(path, "is required");
            return false;
        }
        if (value.isBlank()) {
            problems.add(path, "must not be blank");
            return false;
        }
        return true;
    }
}
