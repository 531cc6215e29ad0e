package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

    private final EnvSubstitution substitution = new EnvSubstitution(
            Map.of("HOST", "api.example.com", "PORT", "8443", "EMPTY", "", "NESTED", "${env:HOST}")::get);

    @Test
    void leavesTextWithoutReferencesAsItIs() {
        assertEquals("plain $ text", substitution.apply("plain $ text"));
    }

    @Test
    void replacesAReferenceWithTheVariable() {
        assertEquals("api.example.com", substitution.apply("${env:HOST}"));
    }

    @Test
    void replacesSeveralReferencesInOneString() {
        assertEquals("https://api.example.com:8443/v1", substitution.apply("https://${env:HOST}:${env:PORT}/v1"));
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        assertEquals("fallback", substitution.apply("${env:UNSET:-fallback}"));
        assertEquals("fallback", substitution.apply("${env:EMPTY:-fallback}"));
        assertEquals("", substitution.apply("${env:UNSET:-}"));
        assertEquals("api.example.com", substitution.apply("${env:HOST:-fallback}"));
    }

    @Test
    void aDefaultMayContainColonsAndDashes() {
        assertEquals("http://localhost:8080", substitution.apply("${env:UNSET:-http://localhost:8080}"));
    }

    @Test
    void anEmptyVariableWithoutDefaultIsEmpty() {
        assertEquals("[]", substitution.apply("[${env:EMPTY}]"));
    }

    @Test
    void doubleDollarIsALiteralReference() {
        assertEquals("${env:HOST} and api.example.com", substitution.apply("$${env:HOST} and ${env:HOST}"));
    }

    @Test
    void doesNotScanAVariablesValueAgain() {
        assertEquals("${env:HOST}", substitution.apply("${env:NESTED}"));
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> substitution.apply("Bearer ${env:OPENAI_API_KEY}"));

        assertEquals("environment variable OPENAI_API_KEY is not set", e.getMessage());
    }

    @Test
    void aReferenceWithoutEnvPrefixIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> substitution.apply("${HOST}"));

        assertEquals("'${HOST}' is not supported (use ${env:NAME} or ${env:NAME:-default}; $${ for a literal ${)",
                e.getMessage());
    }

    @Test
    void anUnclosedReferenceIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> substitution.apply("${env:HOST"));

        assertEquals("'${' without a closing '}' (write $${ for a literal ${)", e.getMessage());
    }

    @Test
    void aBadVariableNameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> substitution.apply("${env:MY-VAR}"));

        assertEquals("'MY-VAR' is not an environment variable name", e.getMessage());
    }
}
