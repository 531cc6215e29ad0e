package io.aigateway.admin.jmx;

/** {@code aigateway:type=Tenant,name=<tenant>}: one {@code tenants[]} entry, without its keys. */
public interface TenantMBean {
    /** {@code tenants[].name}. */
    String getName();

    /** {@code tenants[].models}: public models and aliases it may use, {@code *} for every one. */
    String[] getAllowedModels();

    /** How many keys it has. */
    int getKeysTotal();

    /** Requests counted against {@code tenants[].quota} in the current period; 0 without a quota. */
    long getQuotaRequestsUsed();

    /** Tokens counted against the quota in the current period (reservations of requests in flight included). */
    long getQuotaTokensUsed();

    /** Cost counted against the quota in the current period, as a decimal. */
    String getQuotaCostUsed();

    /** Requests left in the current period; -1 when {@code quota.requests} is not set. */
    long getQuotaRequestsRemaining();

    /** Tokens left in the current period; -1 when {@code quota.tokens} is not set. */
    long getQuotaTokensRemaining();

    /** When the current period ends (ISO-8601), or empty without a quota. */
    String getQuotaResetsAt();

    /** Starts the current quota period over: the tenant's counters go back to zero. */
    void resetQuota();
}
