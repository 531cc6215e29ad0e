package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row whose version every admin change raises; other instances poll it to know when to reload. */
@Entity
@Table(name = "config_version")
public class ConfigVersionRow {
    static final int ID = 1;

    @Id
    Integer id;
    @Column(nullable = false)
    long version;

    protected ConfigVersionRow() {
    }
}
