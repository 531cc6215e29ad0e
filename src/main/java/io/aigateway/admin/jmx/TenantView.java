package io.aigateway.admin.jmx;

import io.aigateway.config.QuotaConfig;
import io.aigateway.quota.QuotaCounter;
import io.aigateway.quota.Quotas;
import io.aigateway.quota.QuotaPeriod;
import io.aigateway.webapp.Gateway;

/** The {@link TenantMBean} of one tenant, by name. */
final class TenantView implements TenantMBean {
    private final Gateway gateway;
    private final String name;
    private final Quotas quotas;

    TenantView(Gateway gateway, String name, Quotas quotas) {
        this.gateway = gateway;
        this.name = name;
        this.quotas = quotas;
    }

    private QuotaConfig quota() {
        return Views.tenant(gateway, name).config().quota();
    }

    private QuotaCounter used() {
        QuotaConfig quota = quota();
        return quota == null || quotas == null ? null : quotas.usage(name, quota);
    }

    @Override
    public long getQuotaRequestsUsed() {
        QuotaCounter used = used();
        return used == null ? 0 : used.requests();
    }

    @Override
    public long getQuotaTokensUsed() {
        QuotaCounter used = used();
        return used == null ? 0 : used.tokens();
    }

    @Override
    public String getQuotaCostUsed() {
        QuotaCounter used = used();
        return used == null ? "0" : used.cost().toPlainString();
    }

    @Override
    public long getQuotaRequestsRemaining() {
        QuotaConfig quota = quota();
        return quota == null || quota.requests() == null ? -1 : Math.max(0, quota.requests() - getQuotaRequestsUsed());
    }

    @Override
    public long getQuotaTokensRemaining() {
        QuotaConfig quota = quota();
        return quota == null || quota.tokens() == null ? -1 : Math.max(0, quota.tokens() - getQuotaTokensUsed());
    }

    @Override
    public String getQuotaResetsAt() {
        QuotaConfig quota = quota();
        return quota == null ? "" : new QuotaPeriod(quota.reset(), quota.timeZone()).next(gateway.clock().instant()).toString();
    }

    @Override
    public void resetQuota() {
        QuotaConfig quota = quota();
        if (quotas != null && quota != null)
            quotas.reset(name, quota);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String[] getAllowedModels() {
        return Views.tenant(gateway, name).config().models().toArray(String[]::new);
    }

    @Override
    public int getKeysTotal() {
        return Views.tenant(gateway, name).config().keys().size();
    }
}
