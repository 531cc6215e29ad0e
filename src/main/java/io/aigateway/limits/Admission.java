package io.aigateway.limits;

/**
 * The outcome of asking for admission: admitted with a reservation to settle, refused by a limit, or not decided
 * because the store failed and {@code limits.on_store_failure} is {@code fail-closed}.
 *
 * @param decision    what the store said (refused or admitted, and what is left of each limit)
 * @param reservation what to settle when the request ends; {@link Reservation#NONE} when refused
 * @param storeFailed whether the store could not be reached (admitted under local limits when failing open)
 */
public record Admission(Decision decision, Reservation reservation, boolean storeFailed) {

    public boolean admitted() {
        return decision != null && decision.admitted();
    }

    /** Refused because the store could not be asked and the gateway fails closed. */
    public boolean unavailable() {
        return decision == null;
    }
}
