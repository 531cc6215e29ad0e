/**
 * Quotas: requests, tokens and cost per tenant per period, the period given by a cron expression in a time zone;
 * counters kept across restarts by a {@link io.aigateway.quota.QuotaCounterStore}.
 */
package io.aigateway.quota;
