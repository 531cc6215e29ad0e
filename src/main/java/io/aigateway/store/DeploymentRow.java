package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One deployment of a stored backend, kept in step with the backend's spec so that models can be queried. */
@Entity
@Table(name = "deployments")
public class DeploymentRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "backend_id", nullable = false)
    Long backendId;
    @Column(nullable = false)
    String name;
    @Column(nullable = false)
    String model;

    protected DeploymentRow() {
    }

    DeploymentRow(Long backendId, String name, String model) {
        this.backendId = backendId;
        this.name = name;
        this.model = model;
    }
}
