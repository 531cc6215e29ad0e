package io.aigateway.config;

/**
 * The {@code store} section: the database that holds what operators manage through the admin API (tenants, keys,
 * backends), the request log, the audit log and quota counters.
 *
 * <p>Where the DataSource comes from, in order: the container's JNDI resource ({@code store.jndi}, default
 * {@value #DEFAULT_JNDI}), {@code store.url} (pooled by the gateway), or an embedded H2 database under
 * {@code data/} when the standalone launcher asks for it. A WAR without this section and without the JNDI resource
 * runs without a store (no admin changes persist, no request log in a database).
 *
 * @param url       {@code store.url}: a JDBC URL such as {@code jdbc:mariadb://db:3306/aigateway}; null to use JNDI
 *                  or the embedded default
 * @param user      {@code store.user}: the database user for {@code url}; null for none
 * @param password  {@code store.password}: the password for {@code url}; secret, never printed
 * @param jndi      {@code store.jndi}: the JNDI name of a container-managed DataSource; default
 *                  {@value #DEFAULT_JNDI}, looked up first
 * @param masterKey {@code store.master_key}: base64 of 32 random bytes, or {@code file:/path} to a file holding it,
 *                  typically {@code ${env:AIGATEWAY_MASTER_KEY}}; encrypts the backend keys stored through the admin
 *                  API (AES-256-GCM). Null when absent (then JNDI {@code java:comp/env/aigateway/master_key} is
 *                  tried, and without any such key the admin API refuses to store backend keys). Secret.
 */
public record StoreConfig(String url, String user, String password, String jndi, String masterKey) {

    /** The JNDI name looked up when {@code store.jndi} is absent. */
    public static final String DEFAULT_JNDI = "java:comp/env/jdbc/aigateway";

    /** @throws ConfigException naming each field that breaks its rule */
    public StoreConfig {
        Problems problems = new Problems();
        if (url != null && !url.startsWith("jdbc:")) {
            problems.add("url", "must be a JDBC URL (jdbc:mariadb://host:3306/db or jdbc:h2:...)");
        }
        if (jndi == null || jndi.isBlank()) {
            problems.add("jndi", "must not be blank");
        }
        problems.throwIfAny("StoreConfig");
    }

    /** The section as it is when the file leaves it out: JNDI when the container has it, else no store. */
    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null, DEFAULT_JNDI, null);
    }

    @Override
    public String toString() {
        return "StoreConfig[url=" + url + ", user=" + user + ", jndi=" + jndi + "]";
    }
}
