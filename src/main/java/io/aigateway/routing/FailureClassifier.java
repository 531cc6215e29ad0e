package io.aigateway.routing;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.concurrent.TimeoutException;

/**
 * Maps every upstream outcome, a reply (status and error body) or an exception, to a {@link FailureClass}. The only
 * place that does; {@code FailureClassifierTest} is its table.
 */
public final class FailureClassifier {
    /** Cause chains are walked this deep at most: a chain can be cyclic. */
    static final int MAX_CAUSES = 16;

    private FailureClassifier() {
    }

    /** The class of a reply from its status alone: enough for 2xx, and for deciding whether to read the body. */
    public static FailureClass ofStatus(int status) {
        return ofReply(status, UpstreamError.NONE, false);
    }

    /**
     * @param error            the codes of the reply's error body
     * @param callerChosePath  whether the path names something the caller chose (a stored response id), so a 404
     *                         is the caller's
     */
    public static FailureClass ofReply(int status, UpstreamError error, boolean callerChosePath) {
        if (status >= 200 && status < 300)
            return FailureClass.SUCCESS;
        if (status == 429)
            return error.is("insufficient_quota") ? FailureClass.QUOTA_EXHAUSTED : FailureClass.RATE_LIMITED;
        if (status == 401)
            return FailureClass.CREDENTIAL;
        if (status == 403)
            return error.is("insufficient_quota") ? FailureClass.QUOTA_EXHAUSTED : FailureClass.CREDENTIAL;
        if (status == 404) {
            if (!callerChosePath && (error.is("deploymentnotfound") || error.is("model_not_found")))
                return FailureClass.DEPLOYMENT_GONE;
            return FailureClass.CALLER_FAULT;
        }
        if (status == 408)
            return FailureClass.TIMEOUT;
        if (status >= 400 && status < 500)
            return FailureClass.CALLER_FAULT;
        if (status >= 500 && status < 600)
            return FailureClass.SERVER_ERROR;
        return FailureClass.UNKNOWN;
    }

    /**
     * @param connected whether the connection to the backend was established before the failure; a failure
     *                  before that is the endpoint's, after it the deployment's
     */
    public static FailureClass ofException(Throwable failure, boolean connected) {
        if (isTlsFailure(failure))
            return FailureClass.TLS_FAILURE;
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

    /**
     * A certificate that was refused, anywhere in the chain, or a handshake the peer refused outright (an alert:
     * no common protocol or cipher). A handshake cut short by the network (an {@link EOFException} or other I/O
     * cause) is not: that is a broken connection, and may pass on the next try.
     */
    private static boolean isTlsFailure(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
            if (cause instanceof CertificateException || cause instanceof SSLPeerUnverifiedException)
                return true;
            if (cause instanceof SSLHandshakeException && cause.getCause() == null)
                return true;
        }
        return false;
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
}
