package io.aigateway.quota;

import java.util.Collection;
import java.util.List;

/**
 * Where quota counters survive restarts: a local file ({@link FileQuotaCounterStore}) until the database store
 * takes over. The ledger counts in memory and hands the store its counters now and then and at shutdown.
 */
public interface QuotaCounterStore {

    /** Every counter kept, of whatever period. */
    List<QuotaCounter> load();

    /** Replaces what is kept with these counters (the current period's of each subject). */
    void save(Collection<QuotaCounter> counters);
}
