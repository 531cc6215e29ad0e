package io.aigateway.routing.probe;

import io.aigateway.config.Flavor;
import io.aigateway.config.HealthCheckConfig;
import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Probes every deployment of every enabled backend whose {@code health_check.enabled} is true, every
 * {@code health_check.interval}, and tells a {@link ProbeListener} each result and each crossing of a threshold.
 *
 * <p>The default probes list the backend's models, which says nothing about one deployment more than another, so
 * a backend is probed once per round and the verdict is counted for each of its deployments. Counters are kept by
 * {@link Deployment#id()}, so they survive {@link #update config reloads}.
 *
 * <p>No threads of its own: rounds are timed by the Jetty {@link Scheduler} passed in (normally the HTTP client's),
 * probes are sent without blocking, and results arrive on the client's threads. The next round of a backend is
 * scheduled when its current one has completed, so a slow backend is never probed twice at once.
 */
public final class HealthChecker {
    private static final Logger LOG = LogManager.getLogger(HealthChecker.class);

    private final HttpClient client;
    private final Scheduler scheduler;
    private final ProbeListener listener;
    private final Function<Flavor, Probe> probes;
    /** The backends to probe, by name, from the latest registry. */
    private volatile Map<String, Backend> checked;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Map<String, Loop> loops = new HashMap<>();
    private final Set<Request> inFlight = ConcurrentHashMap.newKeySet();
    /** Moves on at every {@link #stop()}, so that probes aborted by it report nothing. */
    private final AtomicLong epoch = new AtomicLong();
    private boolean running;

    /** A checker using the default probe of each flavor ({@link FlavorProbes#of}). */
    public HealthChecker(Registry registry, HttpClient client, Scheduler scheduler, ProbeListener listener) {
        this(registry, client, scheduler, listener, FlavorProbes::of);
    }

    /**
     * @param client    the started client probes are sent with (the proxy's own)
     * @param scheduler times the rounds; normally {@code client.getScheduler()}
     * @param probes    the probe of each flavor
     */
    public HealthChecker(Registry registry, HttpClient client, Scheduler scheduler, ProbeListener listener,
                         Function<Flavor, Probe> probes) {
        this.client = Objects.requireNonNull(client, "client");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.checked = checkedBackends(registry);
    }

    /** Starts probing: the first round of each backend right away, the next ones every interval. */
    public synchronized void start() {
        if (running)
            return;
        running = true;
        checked.keySet().forEach(this::startLoop);
    }

    /** Cancels every scheduled round and aborts every probe in flight; their results are not reported. */
    public synchronized void stop() {
        if (!running && inFlight.isEmpty())
            return;
        running = false;
        epoch.incrementAndGet();
        loops.values().forEach(Loop::cancel);
        loops.clear();
        for (Request request : new ArrayList<>(inFlight))
            request.abort(new CancellationException("health checker stopped"));
    }

    /**
     * Swaps in a new registry snapshot. Counters of deployments still probed are kept; backends that start being
     * probed get a round right away. A deployment that stops being probed while unhealthy is reported healthy
     * (see {@link ProbeListener#onTransition}).
     */
    public synchronized void update(Registry registry) {
        Map<String, Backend> next = checkedBackends(registry);
        Set<String> ids = new HashSet<>();
        next.values().forEach(backend -> backend.deployments().forEach(d -> ids.add(d.id())));
        checked = next;
        for (Map.Entry<String, Track> entry : new ArrayList<>(tracks.entrySet())) {
            if (!ids.contains(entry.getKey()) && tracks.remove(entry.getKey(), entry.getValue()))
                entry.getValue().release();
        }
        if (!running)
            return;
        for (String name : new ArrayList<>(loops.keySet())) {
            if (!next.containsKey(name))
                loops.remove(name).cancel();
        }
        for (String name : next.keySet()) {
            if (!loops.containsKey(name))
                startLoop(name);
        }
    }

    /**
     * Runs one round now, whether or not the checker is started: every probed backend once. The future completes
     * when every probe of the round has completed and been reported.
     */
    public CompletableFuture<Void> probeNow() {
        List<CompletableFuture<Void>> round = new ArrayList<>();
        for (Backend backend : checked.values())
            round.add(probe(backend));
        return CompletableFuture.allOf(round.toArray(CompletableFuture[]::new));
    }

    private void startLoop(String backendName) {
        Loop loop = new Loop(backendName);
        loops.put(backendName, loop);
        loop.schedule(0);
    }

    private static Map<String, Backend> checkedBackends(Registry registry) {
        Map<String, Backend> result = new LinkedHashMap<>();
        for (Backend backend : registry.backends()) {
            if (backend.config().enabled() && backend.config().healthCheck().enabled())
                result.put(backend.name(), backend);
        }
        return Collections.unmodifiableMap(result);
    }

    /** Sends one probe to the backend; the future completes once its verdict has been reported. */
    private CompletableFuture<Void> probe(Backend backend) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long sentIn = epoch.get();
        HealthCheckConfig config = backend.config().healthCheck();
        String key = backend.keys().next();
        if (key == null && !backend.keys().isEmpty()) {
            // Every key was refused and disabled by the proxy: a client request could not be sent either.
            report(backend, new ProbeVerdict(false, "no usable key (every key is disabled)"), sentIn);
            done.complete(null);
            return done;
        }
        Request request;
        try {
            request = probes.apply(backend.flavor()).newRequest(client, backend, key)
                .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                // A redirect would carry the key to wherever it points.
                .followRedirects(false);
        } catch (RuntimeException e) {
            report(backend, new ProbeVerdict(false, "could not build the probe: " + e.getClass().getSimpleName())
                .redacting(key), sentIn);
            done.complete(null);
            return done;
        }
        inFlight.add(request);
        request.send(result -> {
            inFlight.remove(request);
            try {
                ProbeVerdict verdict;
                if (!result.isFailed())
                    verdict = ProbeVerdict.ofStatus(result.getResponse().getStatus());
                else if (result.getFailure() instanceof HttpResponseException rejected)
                    // A protocol handler refused the answer (a 401 without WWW-Authenticate): its status says why.
                    verdict = ProbeVerdict.ofStatus(rejected.getResponse().getStatus());
                else
                    verdict = ProbeVerdict.ofFailure(result.getFailure(), config.timeout());
                report(backend, verdict.redacting(key), sentIn);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private void report(Backend probed, ProbeVerdict verdict, long sentIn) {
        if (sentIn != epoch.get())
            return;
        // The deployments of the latest snapshot, so that the listener sees the objects requests are routed to.
        Backend current = checked.get(probed.name());
        if (current == null)
            return;
        HealthCheckConfig config = current.config().healthCheck();
        for (Deployment deployment : current.deployments())
            tracks.computeIfAbsent(deployment.id(), id -> new Track()).record(deployment, verdict, config);
    }

    /** One deployment's results in a row, and the listener calls they lead to, in order. */
    private final class Track {
        private final ConsecutiveResults results = new ConsecutiveResults();
        private Deployment deployment;

        synchronized void record(Deployment latest, ProbeVerdict verdict, HealthCheckConfig config) {
            deployment = latest;
            Boolean transition = results.record(verdict.healthy(), config.healthyThreshold(),
                config.unhealthyThreshold());
            notify(() -> listener.onProbeResult(latest, verdict.healthy(), verdict.reason()));
            if (transition == null)
                return;
            if (transition)
                LOG.info("Deployment {} is healthy: {} good probes in a row", latest.id(), config.healthyThreshold());
            else
                LOG.warn("Deployment {} is unhealthy: {} bad probes in a row, last: {}", latest.id(),
                    config.unhealthyThreshold(), verdict.reason());
            notify(() -> listener.onTransition(latest, transition));
        }

        synchronized void release() {
            if (!results.isUnhealthy())
                return;
            LOG.info("Deployment {} is no longer probed; active checks no longer hold it out", deployment.id());
            notify(() -> listener.onTransition(deployment, true));
        }

        private void notify(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                // One faulty listener must not stop the probing of every deployment.
                LOG.warn("Health probe listener failed for deployment {}", deployment.id(), e);
            }
        }
    }

    /** The rounds of one backend: probe, wait an interval, probe again, until cancelled. */
    private final class Loop implements Runnable {
        private final String backendName;
        private volatile boolean cancelled;
        private volatile Scheduler.Task task;

        Loop(String backendName) {
            this.backendName = backendName;
        }

        @Override
        public void run() {
            Backend backend = checked.get(backendName);
            if (cancelled || backend == null)
                return;
            probe(backend).whenComplete((ignored, failure) -> {
                Backend current = checked.get(backendName);
                if (current != null)
                    schedule(current.config().healthCheck().interval().toMillis());
            });
        }

        void schedule(long delayMillis) {
            // A cancel() racing with this leaves a task that finds the loop cancelled and does nothing.
            if (!cancelled)
                task = scheduler.schedule(this, delayMillis, TimeUnit.MILLISECONDS);
        }

        void cancel() {
            cancelled = true;
            Scheduler.Task scheduled = task;
            if (scheduled != null)
                scheduled.cancel();
        }
    }
}
