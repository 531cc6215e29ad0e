package io.aigateway.store;

import io.aigateway.testing.TestClock;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only a failure to reach the database marks the store down; the next success brings it back. */
class StoreHealthTest {

    @Test
    void failuresToReachTheDatabaseAreToldApartFromRefusedStatements() {
        assertTrue(StoreHealth.unreachable(new PersistenceException("x",
                new SQLTransientConnectionException("aigateway-store - Connection is not available"))));
        assertTrue(StoreHealth.unreachable(new RuntimeException(new SQLException("Socket fail", "08000"))));
        assertTrue(StoreHealth.unreachable(new IllegalStateException(new ConnectException("Connection refused"))));
        assertFalse(StoreHealth.unreachable(new PersistenceException("x",
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000"))));
        assertFalse(StoreHealth.unreachable(new IllegalArgumentException("bad row")));
    }

    @Test
    void downFromTheFirstUnreachableFailureUntilTheNextSuccess() {
        TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
        StoreHealth health = new StoreHealth(clock);
        assertTrue(health.reachable());
        assertFalse(health.failed(new IllegalArgumentException("bad row")), "a refused statement is no outage");
        assertTrue(health.reachable());

        clock.advance(Duration.ofMinutes(1));
        assertTrue(health.failed(new RuntimeException(new ConnectException("Connection refused"))));
        assertFalse(health.reachable());
        assertEquals(Instant.parse("2026-05-01T10:01:00Z"), health.since());
        assertTrue(health.lastError().contains("Connection refused"));
        clock.advance(Duration.ofMinutes(1));
        health.failed(new RuntimeException(new ConnectException("Connection refused")));
        assertEquals(Instant.parse("2026-05-01T10:01:00Z"), health.since(), "down since the first failure");

        clock.advance(Duration.ofMinutes(1));
        health.succeeded();
        assertTrue(health.reachable());
        assertEquals(Instant.parse("2026-05-01T10:03:00Z"), health.since());
        assertNull(health.lastError());
    }
}
