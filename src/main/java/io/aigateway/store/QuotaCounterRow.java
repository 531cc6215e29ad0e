package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Usage counted against a quota: per scope ({@code tenant} or {@code key}), subject ({@code team} or
 * {@code team/key-id}) and period. Written by {@link QuotaCounterTable}.
 */
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

    QuotaCounterRow(String scope, io.aigateway.quota.QuotaCounter counter) {
        this.scope = scope;
        this.subject = counter.subject();
        set(counter);
    }

    /** Takes the counter's period and values. */
    void set(io.aigateway.quota.QuotaCounter counter) {
        this.periodStart = counter.periodStart();
        this.requests = counter.requests();
        this.tokens = counter.tokens();
        this.cost = counter.cost();
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
