package io.aigateway.quota;

import java.math.BigDecimal;

/** A request's place in a quota period, to settle (or cancel) once when it ends; later calls do nothing. */
public interface QuotaTicket {

    /** Replaces the reservation by what the request really used. */
    void settle(long tokens, BigDecimal cost);

    /** Takes the request back entirely, as if it had never been admitted (another limit refused it). */
    void cancel();
}
