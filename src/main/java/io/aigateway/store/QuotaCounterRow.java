package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** Usage counted against a quota: per scope ({@code tenant}, {@code key}, ...), subject and period. */
@Entity
@Table(name = "quota_counters")
public class QuotaCounterRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(nullable = false)
    String scope;
    @Column(nullable = false)
    String subject;
    @Column(name = "period_start", nullable = false)
    Instant periodStart;
    @Column(nullable = false)
    long requests;
    @Column(nullable = false)
    long tokens;
    @Column(nullable = false)
    BigDecimal cost;

    protected QuotaCounterRow() {
    }

    public String scope() {
        return scope;
    }

    public String subject() {
        return subject;
    }

    public Instant periodStart() {
        return periodStart;
    }

    public long requests() {
        return requests;
    }

    public long tokens() {
        return tokens;
    }

    public BigDecimal cost() {
        return cost;
    }
}
