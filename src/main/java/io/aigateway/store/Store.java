package io.aigateway.store;

import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

import org.hibernate.cfg.AvailableSettings;
import java.util.List;

/**
 * The open store: migrated schema and a Hibernate session factory over the DataSource. One per web application;
 * closed with it.
 */
public final class Store implements AutoCloseable {
    /** Every entity of the schema. */
    static final List<Class<?>> ENTITIES = List.of(TenantRow.class, TenantKeyRow.class, BackendRow.class,
            DeploymentRow.class, AliasRow.class, AuditRow.class, ConfigVersionRow.class, QuotaCounterRow.class,
            RequestLogRow.class);

    private final StoreDataSource source;
    private final SessionFactory sessions;

    private Store(StoreDataSource source, SessionFactory sessions) {
        this.source = source;
        this.sessions = sessions;
    }

    /**
     * Migrates the schema to the current version (never Hibernate's schema update: only versioned scripts change a
     * production schema), then opens the session factory.
     */
    public static Store open(StoreDataSource source) {
        try {
            migrate(source);
            SessionFactory sessions = new HibernatePersistenceConfiguration("aigateway")
                    .managedClasses(ENTITIES.toArray(Class<?>[]::new))
                    .property(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, source.dataSource())
                    .property("hibernate.jdbc.time_zone", "UTC")
                    // JSON-B (Yasson, already in the WAR) rather than whatever Jackson the class path happens to hold:
                    // Flyway brings one, and a container's may not match it.
                    .property("hibernate.type.json_format_mapper", "jsonb")
                    .property("hibernate.hbm2ddl.auto", "none")
                    .property("hibernate.jdbc.batch_size", 50)
                    .property("hibernate.order_inserts", true)
                    .createEntityManagerFactory().unwrap(SessionFactory.class);
            return new Store(source, sessions);
        } catch (RuntimeException x) {
            source.close();
            throw x;
        }
    }

    /** Runs the versioned scripts under {@code db/migration}: the same on MariaDB and on H2 in MariaDB mode. */
    static void migrate(StoreDataSource source) {
        Flyway.configure(Store.class.getClassLoader())
                .dataSource(source.dataSource())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public SessionFactory sessions() {
        return sessions;
    }

    /** Where the connections come from, for logs. */
    public String description() {
        return source.description();
    }

    @Override
    public void close() {
        try {
            sessions.close();
        } finally {
            source.close();
        }
    }
}
