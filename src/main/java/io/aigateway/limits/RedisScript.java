package io.aigateway.limits;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that the hot path sends a short digest rather than the
 * script; only when Redis does not know it yet (a restart, a {@code SCRIPT FLUSH}) is the script itself sent.
 */
public final class RedisScript {
    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    public RedisScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", x);
        }
    }

    /** Runs the script: one round trip when Redis knows it, two the first time. */
    public <T> CompletionStage<T> run(RedisAsyncCommands<String, String> commands, String[] keys, String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.<T>evalsha(sha, output, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (unwrap(failure) instanceof RedisNoScriptException) {
                commands.<T>eval(source, output, keys, args).whenComplete((again, retryFailure) -> {
                    if (retryFailure == null)
                        result.complete(again);
                    else
                        result.completeExceptionally(retryFailure);
                });
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
