package io.aigateway.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with OpenAI's BPE encodings (jtokkit): {@code o200k_base} for the GPT-4o and o-series families,
 * {@code cl100k_base} for everything else. Only for estimates, where the backend reports no usage.
 */
public final class Tokenizer {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private Tokenizer() {
    }

    /** The tokens of {@code text} in the encoding of {@code model} (a public or upstream model name). */
    public static int count(String model, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding(model).countTokensOrdinary(text);
    }

    static Encoding encoding(String model) {
        String name = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
        boolean o200k = name.contains("gpt-4o") || name.contains("gpt-4.1") || name.contains("gpt-5")
                || name.startsWith("o1") || name.startsWith("o3") || name.startsWith("o4") || name.contains("4o");
        return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }
}
