package io.aigateway.routing;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** Maps every upstream outcome, a status or an exception, to a {@link FailureClass}. The only place that does. */
public final class FailureClassifier {
    /** Cause chains are walked this deep at most: a chain can be cyclic. */
    static final int MAX_CAUSES = 16;
    private FailureClassifier() {
    }

    /** Whether the failure, or one of its causes, is a timeout. */
    public static boolean isTimeout(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
            if (cause instanceof TimeoutException)
                return true;
        }
        return false;
    }

    public static FailureClass ofStatus(int status) {
        if (status < 400)
            return FailureClass.SUCCESS;
        if (status == 429)
            return FailureClass.RATE_LIMITED;
        if (status < 500)
            return FailureClass.CALLER_FAULT;
        return FailureClass.SERVER_ERROR;
    }

    /**
     * @param connected whether the connection to the backend was established before the failure; a failure
     *                  before that is the endpoint's, after it the deployment's
     */
    public static FailureClass ofException(Throwable failure, boolean connected) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
            if (cause instanceof TimeoutException)
                return connected ? FailureClass.TIMEOUT : FailureClass.CONNECT_FAILURE;
            if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException
                || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException)
                return FailureClass.CONNECT_FAILURE;
            if (cause instanceof EOFException)
                return FailureClass.BROKEN_CONNECTION;
        }
        return connected ? FailureClass.BROKEN_CONNECTION : FailureClass.CONNECT_FAILURE;
    }
}
