package io.aigateway.registry;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend's keys, handed out in turn so that their quotas add up. Never printed: {@link #toString()} shows
 * only how many keys there are.
 */
public final class KeyRing {
    private final String[] keys;
    private final AtomicInteger next = new AtomicInteger();

    KeyRing(List<String> keys) {
        this.keys = keys.toArray(String[]::new);
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    public int size() {
        return keys.length;
    }

    /** The next key in turn, or null when the backend takes no key. */
    public String next() {
        if (keys.length == 0)
            return null;
        if (keys.length == 1)
            return keys[0];
        return keys[Math.floorMod(next.getAndIncrement(), keys.length)];
    }

    @Override
    public String toString() {
        return "KeyRing[" + keys.length + " keys]";
    }
}
