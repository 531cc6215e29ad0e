package io.aigateway.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.aigateway.routing.FailureClass.BROKEN_CONNECTION;
import static io.aigateway.routing.FailureClass.CALLER_FAULT;
import static io.aigateway.routing.FailureClass.CONNECT_FAILURE;
import static io.aigateway.routing.FailureClass.CREDENTIAL;
import static io.aigateway.routing.FailureClass.DEPLOYMENT_GONE;
import static io.aigateway.routing.FailureClass.QUOTA_EXHAUSTED;
import static io.aigateway.routing.FailureClass.UNKNOWN;
import static io.aigateway.routing.FailureClass.RATE_LIMITED;
import static io.aigateway.routing.FailureClass.SERVER_ERROR;
import static io.aigateway.routing.FailureClass.SUCCESS;
import static io.aigateway.routing.FailureClass.TIMEOUT;
import static io.aigateway.routing.FailureClass.TLS_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The failure table: every upstream outcome and the class it falls into, in one place. */
class FailureClassifierTest {
    private static final boolean CONNECTED = true;
    private static final boolean NOT_CONNECTED = false;

    /** Every upstream outcome, a status or an exception, with the class it must fall into. */
    static Stream<Arguments> outcomes() {
        return Stream.of(
            status(200, SUCCESS),
            status(201, SUCCESS),
            status(204, SUCCESS),
            status(302, UNKNOWN),
            status(400, CALLER_FAULT),
            reply(400, "{\"error\":{\"code\":\"context_length_exceeded\",\"type\":\"invalid_request_error\"}}", CALLER_FAULT),
            reply(400, "{\"error\":{\"code\":\"content_filter\",\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}", CALLER_FAULT),
            status(401, CREDENTIAL),
            status(403, CREDENTIAL),
            reply(403, "{\"error\":{\"type\":\"insufficient_quota\"}}", QUOTA_EXHAUSTED),
            status(404, CALLER_FAULT),
            reply(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}", DEPLOYMENT_GONE),
            reply(404, "{\"error\":{\"code\":\"model_not_found\",\"type\":\"invalid_request_error\"}}", DEPLOYMENT_GONE),
            callerPath(404, "{\"error\":{\"code\":\"model_not_found\"}}", CALLER_FAULT),
            status(408, TIMEOUT),
            status(409, CALLER_FAULT),
            status(413, CALLER_FAULT),
            status(422, CALLER_FAULT),
            status(429, RATE_LIMITED),
            reply(429, "{\"error\":{\"code\":\"rate_limit_exceeded\",\"type\":\"requests\"}}", RATE_LIMITED),
            reply(429, "{\"error\":{\"code\":\"insufficient_quota\",\"type\":\"insufficient_quota\"}}", QUOTA_EXHAUSTED),
            reply(429, "not json at all", RATE_LIMITED),
            status(500, SERVER_ERROR),
            status(502, SERVER_ERROR),
            status(503, SERVER_ERROR),
            status(504, SERVER_ERROR),
            exception(new ConnectException("Connection refused"), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new ConnectException("Connection refused"), CONNECTED, CONNECT_FAILURE),
            exception(new UnresolvedAddressException(), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new UnknownHostException("no.such.host"), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new NoRouteToHostException(), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new TimeoutException("idle"), CONNECTED, TIMEOUT),
            exception(new TimeoutException("connect"), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new EOFException(), CONNECTED, BROKEN_CONNECTION),
            exception(new IOException("Connection reset"), CONNECTED, BROKEN_CONNECTION),
            exception(new IOException("handshake failed"), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new RuntimeException(new ConnectException("refused")), CONNECTED, CONNECT_FAILURE),
            exception(new IOException(new RuntimeException(new TimeoutException())), CONNECTED, TIMEOUT),
            exception(new IOException(new EOFException()), CONNECTED, BROKEN_CONNECTION),
            exception(new IllegalStateException("unknown"), CONNECTED, BROKEN_CONNECTION),
            exception(handshake("PKIX path building failed", new CertificateException("unable to find valid certification path")), NOT_CONNECTED, TLS_FAILURE),
            exception(handshake("No subject alternative names matching IP address 127.0.0.1 found", new CertificateException("no SAN")), CONNECTED, TLS_FAILURE),
            exception(new IOException(handshake("certificate expired", new CertificateExpiredException())), NOT_CONNECTED, TLS_FAILURE),
            exception(new SSLHandshakeException("Received fatal alert: handshake_failure"), NOT_CONNECTED, TLS_FAILURE),
            exception(new SSLPeerUnverifiedException("peer not authenticated"), CONNECTED, TLS_FAILURE),
            exception(handshake("Remote host terminated the handshake", new EOFException("SSL peer shut down incorrectly")), NOT_CONNECTED, BROKEN_CONNECTION),
            exception(handshake("Remote host terminated the handshake", new EOFException("SSL peer shut down incorrectly")), CONNECTED, BROKEN_CONNECTION),
            exception(new SSLException("Unrecognized SSL message, plaintext connection?"), NOT_CONNECTED, CONNECT_FAILURE),
            exception(new SSLException("Tag mismatch"), CONNECTED, BROKEN_CONNECTION));
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException failure = new SSLHandshakeException(message);
        failure.initCause(cause);
        return failure;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("outcomes")
    void classifiesEveryUpstreamOutcome(Outcome outcome, FailureClass expected) {
        assertEquals(expected, outcome.classify());
    }

    /** What each class means for retries and health. */
    static Stream<Arguments> classFlags() {
        return Stream.of(
            Arguments.of(SUCCESS, false, false, false),
            Arguments.of(CALLER_FAULT, false, false, false),
            Arguments.of(RATE_LIMITED, true, false, false),
            Arguments.of(QUOTA_EXHAUSTED, true, false, false),
            Arguments.of(CREDENTIAL, true, false, false),
            Arguments.of(DEPLOYMENT_GONE, true, false, false),
            Arguments.of(UNKNOWN, false, false, false),
            Arguments.of(SERVER_ERROR, true, true, false),
            Arguments.of(CONNECT_FAILURE, true, true, true),
            Arguments.of(TIMEOUT, true, true, false),
            Arguments.of(BROKEN_CONNECTION, true, true, false),
            Arguments.of(TLS_FAILURE, true, false, false));
    }

    @ParameterizedTest(name = "{0}: retryable={1} unhealthy={2} endpointWide={3}")
    @MethodSource("classFlags")
    void eachClassSaysWhetherToRetryAndWhatItMeansForHealth(
            FailureClass failure, boolean retryable, boolean unhealthy, boolean endpointWide) {
        assertEquals(retryable, failure.retryable(), "retryable");
        assertEquals(unhealthy, failure.unhealthy(), "unhealthy");
        assertEquals(endpointWide, failure.endpointWide(), "endpointWide");
    }

    @Test
    void everyClassHasItsFlagsInTheTable() {
        assertEquals(FailureClass.values().length, classFlags().count());
    }

    @Test
    void terminatesOnACyclicCauseChain() {
        IOException first = new IOException("first");
        IOException second = new IOException("second", first);
        first.initCause(second);

        FailureClass failure = assertTimeoutPreemptively(Duration.ofSeconds(1),
            () -> FailureClassifier.ofException(first, CONNECTED));

        assertEquals(BROKEN_CONNECTION, failure);
    }

    private static Arguments status(int status, FailureClass expected) {
        return Arguments.of(new Outcome("HTTP " + status, () -> FailureClassifier.ofStatus(status)), expected);
    }

    private static Arguments reply(int status, String body, FailureClass expected) {
        return Arguments.of(new Outcome("HTTP " + status + " " + body, () -> FailureClassifier.ofReply(status,
            UpstreamError.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), false)), expected);
    }

    /** A reply to a path that names something the caller chose, such as a stored response id. */
    private static Arguments callerPath(int status, String body, FailureClass expected) {
        return Arguments.of(new Outcome("HTTP " + status + " on the caller's path " + body, () -> FailureClassifier.ofReply(status,
            UpstreamError.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), true)), expected);
    }

    private static Arguments exception(Throwable failure, boolean connected, FailureClass expected) {
        String name = failure.getClass().getSimpleName()
            + (failure.getCause() == null ? "" : "(" + failure.getCause().getClass().getSimpleName() + ")")
            + (connected ? " connected" : " not connected");
        return Arguments.of(new Outcome(name, () -> FailureClassifier.ofException(failure, connected)), expected);
    }

    /** One row's input, named for the test report. */
    record Outcome(String name, Supplier<FailureClass> classifier) {
        FailureClass classify() {
            return classifier.get();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
