package io.aigateway.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;

/**
 * Whether the store was reachable the last time anything talked to it: the request log writer, the config poller and
 * the admin API report every outcome here, and readiness reads it. Reading it never touches the database, so a
 * readiness probe cannot hang on a database that is away. The outage and the recovery are logged once each.
 */
public final class StoreHealth {
    private static final Logger LOG = LogManager.getLogger(StoreHealth.class);

    /** The servlet context attribute that holds it, when the gateway has a store. */
    public static final String ATTRIBUTE = StoreHealth.class.getName();

    private final Clock clock;
    private volatile boolean reachable = true;
    private volatile Instant since;
    private volatile String lastError;

    public StoreHealth(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Something read or wrote the store. */
    public void succeeded() {
        if (!reachable) {
            synchronized (this) {
                if (!reachable) {
                    reachable = true;
                    LOG.warn("Store reachable again after {}; queued request log rows are being written",
                            java.time.Duration.between(since, clock.instant()));
                    since = clock.instant();
                    lastError = null;
                }
            }
        }
    }

    /**
     * Something failed against the store; only a failure to reach it (see {@link #unreachable}) marks it down.
     *
     * @return whether the failure was one of reaching the database
     */
    public boolean failed(Throwable failure) {
        if (!unreachable(failure)) {
            return false;
        }
        synchronized (this) {
            lastError = failure.toString();
            if (reachable) {
                reachable = false;
                since = clock.instant();
                LOG.error("Store unreachable; requests are served from memory and request log rows are queued: {}",
                        lastError);
            }
        }
        return true;
    }

    public boolean reachable() {
        return reachable;
    }

    /** When it last went down or came back. */
    public Instant since() {
        return since;
    }

    /** Why it is down, for the operator (no secrets: JDBC drivers do not put passwords in messages); null when up. */
    public String lastError() {
        return lastError;
    }

    /**
     * Whether a failure means the database could not be reached (connection refused, reset, timed out, pool
     * exhausted waiting for one), as opposed to the database refusing a statement. Only the former is worth retrying.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException
                    || t instanceof SocketException || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
