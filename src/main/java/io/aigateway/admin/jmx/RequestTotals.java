package io.aigateway.admin.jmx;

import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;

import java.util.concurrent.atomic.LongAdder;

/** Counts request records for the {@link GatewayMBean}: adders, so the request path never contends. */
final class RequestTotals implements RequestListener {
    final LongAdder total = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder clientErrors = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder retries = new LongAdder();

    @Override
    public void onRequest(RequestRecord record) {
        total.increment();
        switch (record.status() / 100) {
            case 2 -> succeeded.increment();
            case 4 -> clientErrors.increment();
            case 5 -> serverErrors.increment();
            default -> {
            }
        }
        if (record.cancelled())
            cancelled.increment();
        if (record.retries() > 0)
            retries.add(record.retries());
    }
}
