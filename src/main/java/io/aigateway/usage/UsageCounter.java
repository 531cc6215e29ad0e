package io.aigateway.usage;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Adds up the {@code usage} objects one response carries, and the text it generated, into one {@link Usage}.
 *
 * <p>OpenAI sends usage once (the JSON reply, or the last chunk of a stream). Some providers repeat a cumulative
 * usage in every chunk, others send per-chunk deltas. A repeated, unchanged {@code prompt_tokens} marks cumulative
 * reports (a delta provider reports the prompt once); so does a completion count that never goes down while the
 * prompt is repeated. Cumulative reports count as their largest; deltas are summed. Where no usage arrives at all,
 * the generated text counted with the tokenizer stands in, marked estimated. Not thread-safe: one response at a time,
 * read by the exchange after it ends.
 */
public final class UsageCounter {
    private final String model;
    private final java.util.function.LongSupplier estimatedPrompt;
    private int reports;
    private int promptRepeats;
    private long lastPrompt = -1;
    private boolean completionDecreased;
    private long lastCompletion = -1;
    private long promptSum;
    private long promptMax;
    private long completionSum;
    private long completionMax;
    private long cachedSum;
    private long cachedMax;
    private long generatedTokens;
    /** Generated text not yet counted: counting waits until it is known that no usage arrives. */
    private final StringBuilder uncounted = new StringBuilder();
    /** Uncounted text kept at most, in chars, so that a long stream without usage holds little memory. */
    static final int MAX_UNCOUNTED = 8 * 1024;

    /**
     * @param model           the model, for the tokenizer
     * @param estimatedPrompt the prompt tokens estimated on admission, used when the backend reports none
     */
    public UsageCounter(String model, long estimatedPrompt) {
        this(model, () -> estimatedPrompt);
    }

    /** With the prompt estimate made only if the backend reports no usage. */
    public UsageCounter(String model, java.util.function.LongSupplier estimatedPrompt) {
        this.model = model;
        this.estimatedPrompt = estimatedPrompt;
    }

    /** A {@code usage} object of Chat Completions, Completions, Embeddings or the Responses API. */
    public synchronized void report(JsonObject usage) {
        long prompt = first(usage, "prompt_tokens", "input_tokens");
        long completion = first(usage, "completion_tokens", "output_tokens");
        long cached = Math.max(nested(usage, "prompt_tokens_details", "cached_tokens"),
                nested(usage, "input_tokens_details", "cached_tokens"));
        if (prompt < 0 && completion < 0) {
            return;
        }
        prompt = Math.max(0, prompt);
        completion = Math.max(0, completion);
        reports++;
        uncounted.setLength(0); // a reported usage stands: the text is not needed
        if (prompt > 0 && prompt == lastPrompt) {
            promptRepeats++;
        }
        if (lastCompletion >= 0 && completion < lastCompletion) {
            completionDecreased = true;
        }
        lastPrompt = prompt;
        lastCompletion = completion;
        promptSum += prompt;
        promptMax = Math.max(promptMax, prompt);
        completionSum += completion;
        completionMax = Math.max(completionMax, completion);
        cachedSum += cached;
        cachedMax = Math.max(cachedMax, cached);
    }

    /**
     * Text the model generated (a content delta, a message), counted in case no usage arrives. It is kept, not
     * tokenized, until then: a backend that reports usage (OpenAI and Azure do, at the end of a stream) never has
     * its text tokenized, and tokenizing each chunk of a stream cost more than relaying it.
     */
    public synchronized void generated(String text) {
        if (text == null || text.isEmpty() || reports > 0) {
            return;
        }
        uncounted.append(text);
        if (uncounted.length() >= MAX_UNCOUNTED) {
            countUncounted();
        }
    }

    private void countUncounted() {
        generatedTokens += Tokenizer.count(model, uncounted.toString());
        uncounted.setLength(0);
    }

    /** Whether a usage report arrived. */
    public synchronized boolean reported() {
        return reports > 0;
    }

    /** Whether the reports so far look cumulative. */
    synchronized boolean cumulative() {
        return reports > 1 && promptRepeats > 0 && !completionDecreased;
    }

    /** The usage so far (the whole response once it has ended), without cost. */
    public synchronized Usage usage() {
        if (reports == 0) {
            countUncounted();
            return new Usage(estimatedPrompt.getAsLong(), generatedTokens, 0, true, java.math.BigDecimal.ZERO);
        }
        if (cumulative()) {
            return new Usage(promptMax, completionMax, cachedMax, false, java.math.BigDecimal.ZERO);
        }
        return new Usage(promptSum, completionSum, cachedSum, false, java.math.BigDecimal.ZERO);
    }

    private static long first(JsonObject usage, String name, String other) {
        long value = number(usage.get(name));
        return value >= 0 ? value : number(usage.get(other));
    }

    private static long nested(JsonObject usage, String object, String name) {
        return usage.get(object) instanceof JsonObject details ? Math.max(0, number(details.get(name))) : 0;
    }

    private static long number(JsonValue value) {
        return value instanceof JsonNumber number ? number.longValue() : -1;
    }
}
