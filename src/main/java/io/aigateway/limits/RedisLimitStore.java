package io.aigateway.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Limit state in Redis, shared by every gateway instance that points at it. Each decision is one script run (one
 * round trip): it checks every charge and takes all of them or none, atomically on the Redis side, with the same
 * GCRA arithmetic as {@link LocalLimitStore} and the caller's clock. Keys share one hash tag so that a script's keys
 * are always in one slot. Lettuce's connection is asynchronous: no container thread waits on Redis.
 */
public final class RedisLimitStore implements LimitStore {
    private static final Logger LOG = LogManager.getLogger(RedisLimitStore.class);
    /** How long a command may take before the store counts as unreachable. */
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Concurrency counters expire after this long without a request, so a crashed instance's slots come back. */
    static final long CONCURRENCY_TTL_MILLIS = 600_000;

    private static final RedisScript ACQUIRE = new RedisScript("""
        local now = tonumber(ARGV[1])
        local period = 60000
        local out = {0, 0}
        local nxt = {}
        local refused, retry = 0, 0
        for i = 1, #KEYS do
          local b = 1 + (i - 1) * 3
          local kind, limit, amount = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
          local cur = tonumber(redis.call('GET', KEYS[i]) or '0')
          if kind == 'c' then
            local nv = cur + amount
            nxt[i] = nv
            if nv > limit then
              if refused == 0 then refused, retry = i, 1000 end
              out[#out + 1] = math.max(0, limit - cur)
            else
              out[#out + 1] = limit - nv
            end
            out[#out + 1] = 0
          else
            local t = period / limit
            local nt = math.max(cur, now) + math.min(amount, limit) * t
            nxt[i] = nt
            local ok = nt - now <= period + 1e-6
            local shown = cur
            if ok then shown = nt end
            out[#out + 1] = math.max(0, math.floor((period - math.max(0, shown - now)) / t + 1e-9))
            out[#out + 1] = math.ceil(math.max(0, shown - now))
            if not ok then
              local wait = math.ceil(math.max(1, nt - period - now))
              if refused == 0 or wait > retry then refused, retry = i, wait end
            end
          end
        end
        if refused == 0 then
          for i = 1, #KEYS do
            local b = 1 + (i - 1) * 3
            if ARGV[b + 1] == 'c' then
              redis.call('SET', KEYS[i], string.format('%d', nxt[i]), 'PX', ARGV[#ARGV])
            else
              redis.call('SET', KEYS[i], string.format('%.4f', nxt[i]), 'PX', math.ceil(nxt[i] - now) + 1000)
            end
          end
        end
        out[1], out[2] = refused, retry
        return out
        """, ScriptOutputType.MULTI);

    private static final RedisScript SETTLE = new RedisScript("""
        local now = tonumber(ARGV[1])
        local period = 60000
        for i = 1, #KEYS do
          local b = 1 + (i - 1) * 3
          local kind, limit, amount = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
          local cur = tonumber(redis.call('GET', KEYS[i]) or '0')
          if kind == 'c' then
            redis.call('SET', KEYS[i], string.format('%d', math.max(0, cur + amount)), 'PX', ARGV[#ARGV])
          else
            local t = period / limit
            local nt
            if amount < 0 then nt = math.max(cur + amount * t, now) else nt = math.max(cur, now) + amount * t end
            if nt > now then
              redis.call('SET', KEYS[i], string.format('%.4f', nt), 'PX', math.ceil(nt - now) + 1000)
            else
              redis.call('DEL', KEYS[i])
            end
          end
        end
        return 1
        """, ScriptOutputType.INTEGER);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Clock clock;
    private final String prefix;

    private final RedisURI uri;

    /** The prefix of every key this store writes, with its hash tag; quotas kept in Redis use it too. */
    public String prefix() {
        return prefix;
    }

    RedisLimitStore(RedisClient client, RedisURI uri, StatefulRedisConnection<String, String> connection, Clock clock, String prefix) {
        this.client = client;
        this.uri = uri;
        this.connection = connection;
        this.clock = clock;
        this.prefix = prefix;
    }

    /**
     * Connects to {@code limits.redis.url}. The connection is made lazily and remade after failures, so a gateway
     * starts while Redis is down and follows {@code limits.on_store_failure} until it is back.
     */
    public static RedisLimitStore connect(URI url, Clock clock) {
        return connect(url, clock, "aigw:{limits}:");
    }

    /** With a key prefix of one's own (tests, or several gateways' limits in one Redis); it must hold a hash tag. */
    public static RedisLimitStore connect(URI url, Clock clock, String prefix) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            // A command issued while Redis is away fails at once instead of queueing behind a reconnect.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
        StatefulRedisConnection<String, String> connection;
        try {
            connection = client.connect();
        } catch (RuntimeException x) {
            LOG.warn("Redis limit store at {}:{} not reachable at startup: {}", uri.getHost(), uri.getPort(), x.toString());
            connection = null;
        }
        return new RedisLimitStore(client, uri, connection, clock, prefix);
    }

    private volatile StatefulRedisConnection<String, String> lazy;
    private final java.util.concurrent.atomic.AtomicBoolean connecting = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The connection's commands, for the quota counters too. Without a connection (Redis was down at startup) one is started in the background
     * and this request fails at once: no container thread waits for a connect.
     */
    public RedisAsyncCommands<String, String> commands() {
        StatefulRedisConnection<String, String> current = connection != null ? connection : lazy;
        if (current != null)
            return current.async();
        if (connecting.compareAndSet(false, true)) {
            client.connectAsync(io.lettuce.core.codec.StringCodec.UTF8, uri).whenComplete((made, failure) -> {
                if (failure == null)
                    lazy = made;
                connecting.set(false);
            });
        }
        throw new LimitStoreException("not connected to Redis", null);
    }

    @Override
    public CompletionStage<Decision> acquire(List<Charge> charges) {
        long now = clock.millis();
        String[] keys = keys(charges);
        String[] args = args(now, charges);
        CompletableFuture<Decision> result = new CompletableFuture<>();
        try {
            ACQUIRE.<List<Object>>run(commands(), keys, args).whenComplete((out, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(new LimitStoreException("Redis limit store failed", failure));
                    return;
                }
                try {
                    result.complete(decision(charges, out));
                } catch (RuntimeException x) {
                    result.completeExceptionally(new LimitStoreException("Redis limit store answered nonsense", x));
                }
            });
        } catch (RuntimeException x) {
            result.completeExceptionally(new LimitStoreException("Redis limit store failed", x));
        }
        return result;
    }

    private static Decision decision(List<Charge> charges, List<Object> out) {
        int refused = ((Number)out.get(0)).intValue();
        long retry = ((Number)out.get(1)).longValue();
        List<LimitState> states = new ArrayList<>(charges.size());
        for (int i = 0; i < charges.size(); i++) {
            states.add(new LimitState(charges.get(i).limit(), ((Number)out.get(2 + 2 * i)).longValue(),
                ((Number)out.get(3 + 2 * i)).longValue()));
        }
        return refused == 0 ? new Decision(true, states, null, 0)
            : new Decision(false, states, charges.get(refused - 1).limit(), retry);
    }

    @Override
    public void settle(List<Charge> adjustments) {
        try {
            SETTLE.run(commands(), keys(adjustments), args(clock.millis(), adjustments))
                .whenComplete((out, failure) -> {
                    if (failure != null)
                        LOG.warn("Redis limit store: a settlement was lost: {}", failure.toString());
                });
        } catch (RuntimeException x) {
            LOG.warn("Redis limit store: a settlement was lost: {}", x.toString());
        }
    }

    private String[] keys(List<Charge> charges) {
        String[] keys = new String[charges.size()];
        for (int i = 0; i < keys.length; i++)
            keys[i] = prefix + charges.get(i).limit().key();
        return keys;
    }

    private static String[] args(long now, List<Charge> charges) {
        String[] args = new String[2 + 3 * charges.size()];
        args[0] = Long.toString(now);
        for (int i = 0; i < charges.size(); i++) {
            Charge charge = charges.get(i);
            args[1 + 3 * i] = charge.limit().kind() == Limit.Kind.CONCURRENCY ? "c" : "r";
            args[2 + 3 * i] = Long.toString(charge.limit().limit());
            args[3 + 3 * i] = Long.toString(charge.amount());
        }
        args[args.length - 1] = Long.toString(CONCURRENCY_TTL_MILLIS);
        return args;
    }

    @Override
    public void close() {
        try {
            if (connection != null)
                connection.close();
            if (lazy != null)
                lazy.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
