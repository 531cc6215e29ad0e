package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A model alias kept in the store ({@code models.aliases} of the file's shape: name → [backend:]model). */
@Entity
@Table(name = "model_aliases")
public class AliasRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(nullable = false)
    String name;
    String backend;
    @Column(nullable = false)
    String model;

    protected AliasRow() {
    }

    AliasRow(String name, String backend, String model) {
        this.name = name;
        this.backend = backend;
        this.model = model;
    }
}
