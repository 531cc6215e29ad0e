package io.aigateway.auth;

import io.aigateway.api.ApiError;
import io.aigateway.config.AdminConfig;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.KeyHash;
import io.aigateway.registry.Registry;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Instant;

/**
 * Authenticates admin API callers against {@code admin.keys[]}, from the same headers as gateway keys. A tenant's
 * key is refused with 403 whatever it is allowed elsewhere: admin keys and tenant keys never overlap.
 */
public final class AdminKeys {

    private AdminKeys() {
    }

    /** The admin key the request carries. */
    public sealed interface Result permits Admin, Refused {
    }

    /** An admin key: its id names the caller in the audit log. */
    public record Admin(KeyConfig key) implements Result {
    }

    public record Refused(ApiError error) implements Result {
    }

    public static Result authenticate(HttpServletRequest request, AdminConfig admin, Registry registry, Instant now) {
        String raw = ApiKeys.extract(request);
        if (raw == null) {
            return new Refused(new ApiError(401, ApiError.AUTHENTICATION, "missing_api_key", null,
                    "The admin API needs an admin key (Authorization: Bearer <admin key>)."));
        }
        if (raw == ApiKeys.AMBIGUOUS) {
            return new Refused(new ApiError(401, ApiError.AUTHENTICATION, "ambiguous_api_key", null,
                    "Different keys were sent in more than one header."));
        }
        KeyHash hash = KeyHash.ofRawKey(raw);
        for (KeyConfig key : admin.keys()) {
            if (key.hash().matches(hash)) {
                if (!key.isValidAt(now)) {
                    return new Refused(new ApiError(401, ApiError.AUTHENTICATION, "expired_api_key", null,
                            "This admin key has expired."));
                }
                return new Admin(key);
            }
        }
        if (registry.key(hash) != null) {
            return new Refused(new ApiError(403, ApiError.PERMISSION, "tenant_key_not_admin", null,
                    "Tenant keys cannot use the admin API; use a key from admin.keys."));
        }
        return new Refused(new ApiError(401, ApiError.AUTHENTICATION, "invalid_api_key", null,
                "The admin key is not valid."));
    }
}
