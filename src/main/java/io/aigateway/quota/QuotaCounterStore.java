package io.aigateway.quota;

import java.util.Collection;
import java.util.List;

/**
 * Where quota counters survive restarts: the database store's {@code quota_counters} table when there is a store
 * ({@code io.aigateway.store.QuotaCounterTable}), else a local file ({@link FileQuotaCounterStore}). The ledger counts
 * in memory and hands the store its counters now and then and at shutdown.
 */
public interface QuotaCounterStore {

    /** Every counter kept, of whatever period. */
    List<QuotaCounter> load();

    /** Replaces what is kept with these counters (the current period's of each subject). */
    void save(Collection<QuotaCounter> counters);
}
