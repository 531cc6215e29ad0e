package io.aigateway.proxy;

/** A request body read in full, with the few facts routing needs and the ability to name the upstream model. */
public interface RoutableBody {
    /** The public model the client asked for, or null when the body names none. */
    String model();

    /** Whether the client asked for a server-sent event stream. */
    boolean stream();

    /** The body to send upstream with the model set to the deployment's name; the same array when unchanged. */
    byte[] withModel(String upstreamModel);

    /** Thrown when a body cannot be routed; carries the 400 to answer. */
    final class InvalidBodyException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient io.aigateway.api.ApiError error;

        public InvalidBodyException(io.aigateway.api.ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public io.aigateway.api.ApiError error() {
            return error;
        }
    }
}
