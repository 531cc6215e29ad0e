package io.aigateway.proxy;

import io.aigateway.config.Flavor;

/** The {@link UpstreamFlavor} of each configured {@link Flavor}. */
final class Flavors {
    private static final UpstreamFlavor OPENAI = new OpenAiFlavor();
    private static final UpstreamFlavor AZURE = new AzureFlavor();
    private static final UpstreamFlavor AZURE_V1 = new AzureV1Flavor();

    private Flavors() {
    }

    static UpstreamFlavor of(Flavor flavor) {
        return switch (flavor) {
            case OPENAI -> OPENAI;
            case AZURE -> AZURE;
            case AZURE_V1 -> AZURE_V1;
        };
    }
}
