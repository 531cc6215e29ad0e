package io.aigateway.limits;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where limit state lives: in process ({@link LocalLimitStore}) or in Redis ({@link RedisLimitStore}). Each call is
 * atomic on the store's side, so that concurrent requests (on this instance or on others sharing the store) never
 * take more than a limit allows.
 */
public interface LimitStore extends AutoCloseable {

    /**
     * Takes every charge, or none when one of them would go over its limit. A token charge larger than its whole
     * limit is taken as the whole limit, so that it can pass once the window is empty instead of never.
     *
     * @throws LimitStoreException (through the stage) when the store cannot be reached
     */
    CompletionStage<Decision> acquire(List<Charge> charges);

    /**
     * Settles earlier charges: a token charge adjusted by the difference between real and reserved usage, a
     * concurrency slot given back (negative amounts). Never refused; failures are logged by the store.
     */
    void settle(List<Charge> adjustments);

    @Override
    void close();
}
