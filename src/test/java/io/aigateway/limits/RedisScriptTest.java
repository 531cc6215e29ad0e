package io.aigateway.limits;

import io.aigateway.testing.RedisAvailable;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scripts run by digest, and are sent whole when Redis does not know them yet. */
class RedisScriptTest {
    static final int DB = 12;

    @Test
    void aScriptRedisHasNotSeenIsSentOnceThenRunByItsDigest() throws Exception {
        RedisAvailable.require(DB);
        // A script no Redis has seen: the first run must fall back from EVALSHA to EVAL.
        RedisScript script = new RedisScript("return ARGV[1] .. '-' .. KEYS[1] -- " + UUID.randomUUID(), ScriptOutputType.VALUE);
        RedisClient client = RedisClient.create("redis://" + RedisAvailable.HOST + ":" + RedisAvailable.PORT + "/" + DB);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertEquals("a-k", script.<String>run(connection.async(), new String[] {"k"}, "a").toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("b-k", script.<String>run(connection.async(), new String[] {"k"}, "b").toCompletableFuture().get(5, TimeUnit.SECONDS));
        } finally {
            client.shutdown();
        }
    }
}
