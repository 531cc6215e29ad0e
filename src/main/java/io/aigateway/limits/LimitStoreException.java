package io.aigateway.limits;

/** The limit store could not be reached or answered nonsense: {@code limits.on_store_failure} decides what follows. */
public final class LimitStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LimitStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
