package io.aigateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aigateway.config.StoreConfig;

import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * Where the store's connections come from, in order: the container's JNDI DataSource ({@code store.jndi}), then
 * {@code store.url} pooled with HikariCP, then the database the launcher asked for ({@code --database}, or the
 * embedded H2 file under {@code data/}). Null when none applies: the gateway then runs without a store.
 *
 * @param dataSource  the connections
 * @param description where they come from, for the startup log (never a password)
 * @param pool        the pool this class made and must close, or null for the container's
 */
public record StoreDataSource(DataSource dataSource, String description, HikariDataSource pool) implements AutoCloseable {

    /** How long a caller waits for a pooled connection before the store counts as unreachable. */
    public static final java.time.Duration CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(3);

    /** The launcher's value of {@code aigateway.database} that asks for the embedded default. */
    public static final String EMBEDDED = "embedded";

    /**
     * @param launcherDatabase the launcher's {@code --database} JDBC URL, {@value #EMBEDDED}, or null (a WAR in a
     *                         container: no embedded default, so that nothing writes to a file nobody asked for)
     * @param dataDirectory    where the embedded database lives
     */
    public static StoreDataSource resolve(StoreConfig store, String launcherDatabase, Path dataDirectory) {
        DataSource container = lookup(store.jndi());
        if (container != null) {
            return new StoreDataSource(container, "JNDI " + store.jndi(), null);
        }
        if (store.url() != null) {
            return pooled(store.url(), store.user(), store.password());
        }
        if (launcherDatabase == null) {
            return null;
        }
        if (launcherDatabase.equals(EMBEDDED)) {
            return pooled(embeddedUrl(dataDirectory.resolve("aigateway")), null, null);
        }
        return pooled(launcherDatabase, null, null);
    }

    /** H2 in MariaDB mode, in a file: the same migrations run on it as on MariaDB. */
    public static String embeddedUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE";
    }

    /** A HikariCP pool over a JDBC URL. */
    public static StoreDataSource pooled(String url, String user, String password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("aigateway-store");
        hikari.setJdbcUrl(url);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(10);
        // While the database is away, a caller (the admin API, the request log writer, the config poller) learns it
        // within seconds rather than Hikari's default half minute; requests never wait for the store at all.
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.setValidationTimeout(Math.min(CONNECTION_TIMEOUT.toMillis(), 2000));
        hikari.setMinimumIdle(1);
        HikariDataSource pool = new HikariDataSource(hikari);
        return new StoreDataSource(pool, withoutSecrets(url), pool);
    }

    private static DataSource lookup(String name) {
        try {
            return new InitialContext().lookup(name) instanceof DataSource ds ? ds : null;
        } catch (NameNotFoundException x) {
            return null;
        } catch (NamingException | RuntimeException x) {
            // No naming service at all (a plain embedded server): the same as no resource.
            return null;
        }
    }

    /** The URL as it may be logged: parameters (which may carry a password) dropped. */
    static String withoutSecrets(String url) {
        int query = url.indexOf('?');
        int semi = url.startsWith("jdbc:h2:") ? url.indexOf(';') : -1;
        int cut = query >= 0 ? query : semi;
        return cut >= 0 ? url.substring(0, cut) : url;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
