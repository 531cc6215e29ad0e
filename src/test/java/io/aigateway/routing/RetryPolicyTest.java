package io.aigateway.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void defaultAllowsOneAttemptAndOneRetry() {
        assertEquals(2, RetryPolicy.DEFAULT.maxAttempts());
        assertTrue(RetryPolicy.DEFAULT.mayRetry(1, FailureClass.SERVER_ERROR));
        assertFalse(RetryPolicy.DEFAULT.mayRetry(2, FailureClass.SERVER_ERROR));
    }

    @ParameterizedTest
    @EnumSource(value = FailureClass.class, names = {"RATE_LIMITED", "SERVER_ERROR", "CONNECT_FAILURE", "TIMEOUT",
        "BROKEN_CONNECTION"})
    void retriesRetryableFailuresUntilTheAttemptsAreUsedUp(FailureClass failure) {
        RetryPolicy policy = new RetryPolicy(3);

        assertTrue(policy.mayRetry(1, failure));
        assertTrue(policy.mayRetry(2, failure));
        assertFalse(policy.mayRetry(3, failure));
    }

    @ParameterizedTest
    @EnumSource(value = FailureClass.class, names = {"SUCCESS", "CALLER_FAULT"})
    void neverRetriesOutcomesThatAreNotRetryable(FailureClass outcome) {
        assertFalse(new RetryPolicy(5).mayRetry(1, outcome));
    }

    @Test
    void oneAttemptMeansNoRetry() {
        assertFalse(new RetryPolicy(1).mayRetry(1, FailureClass.CONNECT_FAILURE));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void rejectsFewerThanOneAttempt(int maxAttempts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(maxAttempts));

        assertEquals("maxAttempts must be at least 1", e.getMessage());
    }
}
