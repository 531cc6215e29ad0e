package io.aigateway.metrics;

import io.aigateway.registry.Registry;

/** The bounded values that label values are made of. */
final class Labels {
    /** The value of a label that does not apply (no tenant before authentication, no backend before an attempt). */
    static final String NONE = "";

    private Labels() {
    }

    /** {@code 2xx}, {@code 4xx}, ...; {@code other} for anything outside 100..599. */
    static String statusClass(int status) {
        return status >= 100 && status <= 599 ? (status / 100) + "xx" : "other";
    }

    /**
     * The model as a label: a public model or alias the registry serves, else {@link #NONE}. A client may send any
     * name at all, and each would otherwise become a series of its own.
     */
    static String model(String model, Registry registry) {
        return model != null && registry.route(model) != null ? model : NONE;
    }

    static String orNone(String value) {
        return value == null ? NONE : value;
    }

    /** A breaker state or failure class as a label: {@code HALF_OPEN} becomes {@code half_open}. */
    static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
