package io.aigateway.log;

/**
 * A stand-in for an exception whose message (or a cause's) held a secret: same class name in the text, same stack
 * trace, messages redacted. Exceptions without secrets are logged as they are.
 */
final class RedactedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private RedactedThrowable(Throwable original, Throwable cause) {
        super(original.getClass().getName() + ": " + SecretRedactor.redact(String.valueOf(original.getMessage())), cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The original when no message in its cause chain holds a secret, else a redacted copy of the chain. */
    static Throwable of(Throwable thrown) {
        if (!holdsSecret(thrown, 0))
            return thrown;
        return copy(thrown, 0);
    }

    private static boolean holdsSecret(Throwable thrown, int depth) {
        if (thrown == null || depth > 16)
            return false;
        String message = thrown.getMessage();
        if (message != null && SecretRedactor.redact(message) != message)
            return true;
        return holdsSecret(thrown.getCause(), depth + 1);
    }

    private static Throwable copy(Throwable thrown, int depth) {
        Throwable cause = thrown.getCause() == null || depth > 16 ? null : copy(thrown.getCause(), depth + 1);
        return new RedactedThrowable(thrown, cause);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
