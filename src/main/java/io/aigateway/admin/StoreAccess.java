package io.aigateway.admin;

import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreRepository;
import io.aigateway.webapp.LiveConfig;
import jakarta.json.JsonObject;

/**
 * How the admin routes reach the store: what it holds (nothing without a store), the repository for a change (a
 * {@linkplain AdminProblem#noStore() refusal} without one), and the audit record of a change.
 */
final class StoreAccess {
    private final LiveConfig live;
    private final String entity;

    /** @param entity what the routes manage, as the audit log names it: {@code tenant}, {@code backend} */
    StoreAccess(LiveConfig live, String entity) {
        this.live = live;
        this.entity = entity;
    }

    StoreContents contents() {
        return live.store() == null ? StoreContents.empty() : live.store().load();
    }

    StoreRepository repository() {
        if (live.store() == null) {
            throw AdminProblem.noStore();
        }
        return live.store();
    }

    /** The audit record of an admin change to the entity of that name, by the acting key. */
    StoreRepository.Change change(AdminExchange x, String action, String name, JsonObject before, JsonObject after) {
        return new StoreRepository.Change(x.actor, action, entity, name,
                before == null ? null : before.toString(), after == null ? null : after.toString());
    }
}
