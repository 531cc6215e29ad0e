package io.aigateway.routing.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls and failures over a sliding time window, kept in {@value #BUCKETS} buckets of a tenth of the window each:
 * a call stops counting between nine tenths of a window and one window after it was made. Lock-free: a bucket is
 * recycled by compare-and-set, and a call recorded at the very moment its bucket is recycled may be lost, which
 * a failure-rate threshold cannot notice.
 */
final class SlidingWindow {
    static final int BUCKETS = 10;

    private final long bucketMillis;
    private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

    SlidingWindow(Duration window) {
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    }

    void record(long nowMillis, boolean failure) {
        Bucket bucket = bucket(Math.floorDiv(nowMillis, bucketMillis));
        bucket.calls.increment();
        if (failure)
            bucket.failures.increment();
    }

    /** Whether at least {@code minimumCalls} calls were made in the window and {@code percent}% of them failed. */
    boolean failureRateReached(long nowMillis, int minimumCalls, int percent) {
        long current = Math.floorDiv(nowMillis, bucketMillis);
        long calls = 0;
        long failures = 0;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket != null && bucket.epoch > current - BUCKETS && bucket.epoch <= current) {
                calls += bucket.calls.sum();
                failures += bucket.failures.sum();
            }
        }
        return calls >= minimumCalls && failures * 100 >= (long)percent * calls;
    }

    private Bucket bucket(long epoch) {
        int slot = (int)Math.floorMod(epoch, (long)BUCKETS);
        while (true) {
            Bucket bucket = buckets.get(slot);
            // A newer bucket in the slot means the clock stepped back; counting the call there is close enough.
            if (bucket != null && bucket.epoch >= epoch)
                return bucket;
            Bucket fresh = new Bucket(epoch);
            if (buckets.compareAndSet(slot, bucket, fresh))
                return fresh;
        }
    }

    private static final class Bucket {
        final long epoch;
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();

        Bucket(long epoch) {
            this.epoch = epoch;
        }
    }
}
