package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A backend created through the admin API: its config entry as JSON without keys (bound with the file's rules when
 * loaded), and its keys sealed with the master key.
 */
@Entity
@Table(name = "backends")
public class BackendRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(nullable = false)
    String name;
    @Column(nullable = false)
    String flavor;
    @Column(nullable = false)
    String endpoint;
    @Column(name = "spec_json", nullable = false)
    String specJson;
    @Column(name = "keys_sealed")
    String keysSealed;
    @Column(name = "created_at", nullable = false)
    Instant created;
    @Column(name = "updated_at", nullable = false)
    Instant updated;

    protected BackendRow() {
    }

    BackendRow(String name, Instant now) {
        this.name = name;
        this.created = now;
        this.updated = now;
    }
}
