package io.aigateway.limits;

import java.util.List;

/**
 * The answer of a store to a set of charges taken together: all of them, or none.
 *
 * @param admitted         whether every charge was taken
 * @param states           what is left of each limit afterwards (before, when refused)
 * @param refusedBy        the limit that refused, or null
 * @param retryAfterMillis when refused, how long until the same charges would be taken
 */
public record Decision(boolean admitted, List<LimitState> states, Limit refusedBy, long retryAfterMillis) {

    public Decision {
        states = List.copyOf(states);
    }

    /** Nothing to check: admitted with no state. */
    public static final Decision FREE = new Decision(true, List.of(), null, 0);
}
