package io.aigateway.store;

import io.aigateway.quota.QuotaCounter;
import io.aigateway.quota.QuotaCounterStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Quota counters in the store's {@code quota_counters} table, when there is a store: one row per subject (a tenant,
 * or {@code tenant/key}) holding its current period. Saving writes each counter in place, in one transaction.
 *
 * <p>Rows of subjects this instance never counted are left alone, so instances sharing a database do not erase each
 * other's subjects; a subject it counted and no longer has (an operator reset its quota) is deleted. Counters kept
 * here are still this instance's: a quota shared exactly by several instances needs {@code limits.store: redis}.
 */
public final class QuotaCounterTable implements QuotaCounterStore {
    /** The {@code scope} column of a tenant's counter and of a key's ({@code tenant/key}). */
    static final String TENANT = "tenant";
    static final String KEY = "key";

    private final Store store;
    /** Subjects loaded or saved by this instance: only their rows are its to delete. */
    private final Set<String> owned = new HashSet<>();

    public QuotaCounterTable(Store store) {
        this.store = store;
    }

    @Override
    public synchronized List<QuotaCounter> load() {
        List<QuotaCounter> counters = new ArrayList<>();
        for (QuotaCounterRow row : rows()) {
            counters.add(new QuotaCounter(row.subject, row.periodStart, row.requests, row.tokens, row.cost));
            owned.add(row.subject);
        }
        return counters;
    }

    @Override
    public synchronized void save(Collection<QuotaCounter> counters) {
        Map<String, QuotaCounter> bySubject = new LinkedHashMap<>();
        counters.forEach(counter -> bySubject.put(counter.subject(), counter));
        store.sessions().inTransaction(session -> {
            Map<String, QuotaCounterRow> kept = new LinkedHashMap<>();
            List<QuotaCounterRow> rows = session.createSelectionQuery("from QuotaCounterRow order by id",
                    QuotaCounterRow.class).getResultList();
            for (QuotaCounterRow row : rows) {
                QuotaCounter counter = bySubject.get(row.subject);
                if (counter == null) {
                    if (owned.contains(row.subject)) {
                        session.remove(row);
                    }
                    continue;
                }
                // The row of the counter's own period is the one to keep: moving another row onto that period
                // would collide with it (Hibernate deletes after it updates).
                QuotaCounterRow other = kept.get(row.subject);
                if (other == null || (!other.periodStart.equals(counter.periodStart())
                        && row.periodStart.equals(counter.periodStart()))) {
                    kept.put(row.subject, row);
                    if (other != null) {
                        session.remove(other);
                    }
                } else {
                    session.remove(row);
                }
            }
            for (QuotaCounter counter : bySubject.values()) {
                QuotaCounterRow row = kept.get(counter.subject());
                if (row == null) {
                    session.persist(new QuotaCounterRow(scope(counter.subject()), counter));
                } else {
                    row.set(counter);
                }
            }
        });
        owned.addAll(bySubject.keySet());
    }

    private List<QuotaCounterRow> rows() {
        return store.sessions().fromTransaction(session -> session.createSelectionQuery(
                "from QuotaCounterRow order by id", QuotaCounterRow.class).getResultList());
    }

    /** Key ids have no {@code /}, so a subject with one is a key's ({@code tenant/key}). */
    static String scope(String subject) {
        return subject.contains("/") ? KEY : TENANT;
    }
}
