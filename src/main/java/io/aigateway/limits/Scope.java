package io.aigateway.limits;

import java.util.Locale;

/** Where a limit applies; its name labels metrics and logs. */
public enum Scope {
    /** {@code tenants[].limits}: the whole tenant. */
    TENANT,
    /** {@code tenants[].keys[].limits}: one key of a tenant. */
    KEY,
    /** {@code models.limits.<model>}: one public model, over every tenant. */
    MODEL,
    /** {@code tenants[].model_limits.<model>}: one tenant on one model. */
    TENANT_MODEL,
    /** {@code backends[].deployments[].limits}: what the deployment itself may take. */
    DEPLOYMENT;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
