package io.aigateway.registry;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend's keys, handed out in turn so that their quotas add up. A key the backend refuses (401/403) is disabled
 * on its own; the others keep serving. Keys are never printed: {@link #toString()} shows only counts, and a key is
 * named in logs by its position ({@code key #2}).
 */
public final class KeyRing {
    private final String[] keys;
    private final AtomicIntegerArray disabled;
    private final AtomicInteger next = new AtomicInteger();

    KeyRing(List<String> keys) {
        this.keys = keys.toArray(String[]::new);
        this.disabled = new AtomicIntegerArray(this.keys.length);
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    public int size() {
        return keys.length;
    }

    /** The position of the next enabled key in turn, or -1 when the backend takes no key or every key is disabled. */
    public int nextIndex() {
        int n = keys.length;
        if (n == 0)
            return -1;
        int start = n == 1 ? 0 : Math.floorMod(next.getAndIncrement(), n);
        for (int step = 0; step < n; step++) {
            int index = (start + step) % n;
            if (disabled.get(index) == 0)
                return index;
        }
        return -1;
    }

    /** The next enabled key in turn, or null when the backend takes no key or every key is disabled. */
    public String next() {
        int index = nextIndex();
        return index < 0 ? null : keys[index];
    }

    /** The key at a position from {@link #nextIndex()}. */
    public String key(int index) {
        return keys[index];
    }

    /** Takes a refused key out of rotation. @return true when this call disabled it */
    public boolean disable(int index) {
        return disabled.compareAndSet(index, 0, 1);
    }

    /** Puts a key back into rotation (after a config reload or an operator's action). */
    public void enable(int index) {
        disabled.set(index, 0);
    }

    public boolean isDisabled(int index) {
        return disabled.get(index) != 0;
    }

    /** How many keys are in rotation. */
    public int enabledCount() {
        int count = 0;
        for (int i = 0; i < keys.length; i++) {
            if (disabled.get(i) == 0)
                count++;
        }
        return count;
    }

    /** Whether every key has been disabled, so the backend cannot be called at all. */
    public boolean exhausted() {
        return keys.length > 0 && enabledCount() == 0;
    }

    @Override
    public String toString() {
        return "KeyRing[" + keys.length + " keys, " + enabledCount() + " enabled]";
    }
}
