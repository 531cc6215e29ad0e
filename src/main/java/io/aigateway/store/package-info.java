/**
 * The JPA store (Hibernate over MariaDB, or embedded H2 in MariaDB mode): where the DataSource comes from, the
 * versioned migrations, the entities, the repository the admin API writes through, and the encryption of backend
 * keys at rest; the quota counters' table when the gateway has a store.
 */
package io.aigateway.store;
