package io.aigateway.store;

import io.aigateway.quota.QuotaCounter;
import io.aigateway.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Quota counters in the store's table, on H2 and MariaDB: kept in place, reset, and shared with other instances. */
class QuotaCounterTableTest {
    static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void countersSurviveAnotherInstanceOfTheTableAndKeepOneRowPerSubject(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, "quota_counter_table"); Store store = Store.open(db.dataSource())) {
            QuotaCounterTable table = new QuotaCounterTable(store);
            assertEquals(List.of(), table.load());
            QuotaCounter team = new QuotaCounter("team", MARCH, 3, 120, new BigDecimal("0.01250000"));
            QuotaCounter key = new QuotaCounter("team/main", MARCH, 2, 80, new BigDecimal("0.00500000"));
            table.save(List.of(team, key));
            table.save(List.of(new QuotaCounter("team", MARCH, 4, 150, new BigDecimal("0.02")), key));

            // What a restarted gateway reads.
            assertEquals(List.of(new QuotaCounter("team", MARCH, 4, 150, new BigDecimal("0.02000000")), key),
                    sorted(new QuotaCounterTable(store).load()));
            assertEquals(List.of("key team/main", "tenant team"), scopes(db));

            // Another instance counts a subject of its own; a new period replaces the old one in place.
            new QuotaCounterTable(store).save(List.of(new QuotaCounter("other", MARCH, 1, 1, BigDecimal.ONE)));
            table.save(List.of(new QuotaCounter("team", APRIL, 1, 10, BigDecimal.ZERO), key));
            List<QuotaCounter> all = sorted(new QuotaCounterTable(store).load());
            assertEquals(List.of("other", "team", "team/main"), all.stream().map(QuotaCounter::subject).toList());
            assertEquals(APRIL, all.get(1).periodStart());
            assertEquals(1, all.get(1).requests());

            // A subject this instance counted and dropped (an operator reset it) is deleted; the other's stays.
            table.save(List.of(key));
            assertEquals(List.of("other", "team/main"),
                    sorted(new QuotaCounterTable(store).load()).stream().map(QuotaCounter::subject).toList());
        }
    }

    private static List<QuotaCounter> sorted(List<QuotaCounter> counters) {
        return counters.stream().sorted(Comparator.comparing(QuotaCounter::subject)).toList();
    }

    private static List<String> scopes(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT scope, subject FROM quota_counters ORDER BY scope, subject")) {
            List<String> scopes = new java.util.ArrayList<>();
            while (rows.next()) {
                scopes.add(rows.getString(1) + " " + rows.getString(2));
            }
            return scopes;
        }
    }
}
