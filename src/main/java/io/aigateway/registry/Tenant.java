package io.aigateway.registry;

import io.aigateway.config.KeyConfig;
import io.aigateway.config.KeyHash;
import io.aigateway.config.TenantConfig;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** A project that calls the gateway with one of its keys. */
public final class Tenant {
    private final TenantConfig config;

    /** The name of the {@linkplain #development() development tenant}. */
    public static final String DEVELOPMENT_NAME = "dev";

    Tenant(TenantConfig config) {
        this.config = config;
    }

    /**
     * The tenant that keyless requests run as when the standalone launcher's {@code --no-auth} is on: allowed every
     * model. Its only key is random and thrown away, so no client can present it.
     */
    public static Tenant development() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyHash unusable = KeyHash.ofRawKey(HexFormat.of().formatHex(secret));
        return new Tenant(new TenantConfig(DEVELOPMENT_NAME, List.of(new KeyConfig("none", unusable, null)),
            List.of(TenantConfig.ALL_MODELS)));
    }

    public String name() {
        return config.name();
    }

    /** Whether this tenant may call the public model (or alias) of that name. */
    public boolean allows(String publicModel) {
        return config.allows(publicModel);
    }

    public TenantConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Tenant[" + name() + "]";
    }
}
