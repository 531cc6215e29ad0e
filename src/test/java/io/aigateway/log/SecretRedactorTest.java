package io.aigateway.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class SecretRedactorTest {
    @AfterEach
    void forget() {
        SecretRedactor.rememberSecrets(List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Authorization: Bearer abc.def-123                        | Authorization: [REDACTED]",
        "FIELD(api-key: k-123456789)                              | FIELD(api-key: [REDACTED])",
        "x-api-key=hunter2hunter2                                 | x-api-key=[REDACTED]",
        "{\"authorization\":\"Bearer tok\"}                       | {\"authorization\":\"[REDACTED]\"}",
        "headerString=[api-key], valueString=[k-1]                | headerString=[api-key], valueString=[[REDACTED]]",
        "sent bearer eyJhbGciOi to upstream                       | sent bearer [REDACTED] to upstream",
        "key sk-proj-AbCdEf0123456789 rejected                    | key [REDACTED] rejected",
        "Cookie: session=abc                                      | Cookie: [REDACTED]",
    })
    void masksCredentialsInTheShapesTheyArePrintedIn(String line, String expected) {
        assertEquals(expected, SecretRedactor.redact(line));
    }

    @Test
    void masksRememberedSecretsAnywhere() {
        SecretRedactor.rememberSecrets(List.of("azure-key-0123456789"));
        String redacted = SecretRedactor.redact("GET https://x/?k=azure-key-0123456789 failed: azure-key-0123456789");
        assertFalse(redacted.contains("azure-key-0123456789"));
        assertEquals("GET https://x/?k=[REDACTED] failed: [REDACTED]", redacted);
    }

    @Test
    void leavesOrdinaryLinesAloneAndReturnsTheSameInstance() {
        String line = "POST CHAT_COMPLETIONS on azure-eu/gpt4o failed (TIMEOUT): java.util.concurrent.TimeoutException";
        assertSame(line, SecretRedactor.redact(line));
    }
}
