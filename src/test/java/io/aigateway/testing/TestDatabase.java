package io.aigateway.testing;

import io.aigateway.store.StoreDataSource;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A database of its own for one test class: a fresh MariaDB database {@code aigw_<name>} on 127.0.0.1:3306 (dropped
 * on close), or an H2 file in MariaDB mode in a temporary directory. When MariaDB is down the test fails under
 * {@code CI} and is skipped, loudly, elsewhere.
 */
public final class TestDatabase implements AutoCloseable {
    /** The two kinds every store test runs on. */
    public enum Kind { H2, MARIADB }

    private static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";

    private final Kind kind;
    private final String url;
    private final String database;
    private final Path directory;

    private TestDatabase(Kind kind, String url, String database, Path directory) {
        this.kind = kind;
        this.url = url;
        this.database = database;
        this.directory = directory;
    }

    public static TestDatabase create(Kind kind, String name) {
        return kind == Kind.H2 ? h2() : mariadb(name);
    }

    public static TestDatabase h2() {
        try {
            Path directory = Files.createTempDirectory("aigw-h2-");
            return new TestDatabase(Kind.H2, StoreDataSource.embeddedUrl(directory.resolve("store")), null, directory);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** A new empty MariaDB database named {@code aigw_<name>}; an existing one of that name is dropped first. */
    public static TestDatabase mariadb(String name) {
        String database = "aigw_" + name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = DriverManager.getConnection(MARIADB_SERVER + "test?user=root&connectTimeout=2000");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException x) {
            String message = "MariaDB is not reachable at 127.0.0.1:3306 (" + x.getMessage() + ")";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + ": CI is set, so this test fails instead of skipping", x);
            }
            System.err.println("*** SKIPPING MariaDB test: " + message + " ***");
            Assumptions.abort(message);
        }
        return new TestDatabase(Kind.MARIADB, MARIADB_SERVER + database + "?user=root", database, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The JDBC URL (user included for MariaDB), as {@code store.url} or {@code --database} take it. */
    public String url() {
        return url;
    }

    /** A new pooled DataSource over this database. */
    public StoreDataSource dataSource() {
        return StoreDataSource.pooled(url, null, null);
    }

    /** A plain connection, for looking at rows as a database dump would. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() {
        if (database != null) {
            try (Connection connection = DriverManager.getConnection(MARIADB_SERVER + "test?user=root");
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            } catch (SQLException x) {
                throw new IllegalStateException(x);
            }
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
