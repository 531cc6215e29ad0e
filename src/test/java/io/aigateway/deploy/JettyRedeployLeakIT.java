package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import org.eclipse.jetty.ee10.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee10.webapp.JndiConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.plus.jndi.EnvEntry;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged WAR deployed into a running Jetty, used, and undeployed, twice: each undeploy leaves no
 * {@code aigateway:*} MBean, no thread of the web application, and its class loader unreachable.
 */
class JettyRedeployLeakIT {
    private static final int ROUNDS = 2;

    @TempDir
    Path logs;

    @Test
    void undeployingTwiceLeavesNoMBeansThreadsOrClassLoader() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName gatewayDomain = new ObjectName("aigateway:*");
        try (FakeBackend backend = FakeBackend.start("azure")) {
            // The log channels too: their writer threads are the web application's.
            Path config = Deployments.writeConfig(backend, 0);
            Files.writeString(config, Files.readString(config) + """
                logging:
                  channels:
                    - {name: app, file: "%1$s/app.log"}
                    - {name: request, file: "%1$s/request.log"}
                """.formatted(logs));
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ContextHandlerCollection contexts = new ContextHandlerCollection();
            server.setHandler(contexts);
            server.start();
            try {
                URI gateway = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                for (int round = 0; round < ROUNDS; round++) {
                    WeakReference<ClassLoader> loader = deployUseAndUndeploy(contexts, config, gateway, backend);

                    assertEquals(Set.of(), mbeans.queryNames(gatewayDomain, null), "MBeans left after undeploy " + round);
                    assertEquals(List.of(), threadsOf(loader), "threads left after undeploy " + round);
                    // A keep-alive connection caches the servlet channel of the last context it served until it
                    // closes (Jetty's, not the gateway's): the clients of the round hang up, as they would in time.
                    connector.getConnectedEndPoints().forEach(endPoint -> endPoint.close());
                    // A selector may still select a channel being closed, once, and it holds the key it selected
                    // last (its iterator over the selected keys) until its next select returns, which on an idle
                    // connector is never: that key would keep the closed endpoint, its connection and the servlet
                    // channel cached there (Jetty's again). The next connection would end that select; an update
                    // that wakes the selector when it runs, after the keys selected before it, does it here.
                    List<ManagedSelector> selectors = List.copyOf(connector.getSelectorManager().getBeans(ManagedSelector.class));
                    assertFalse(selectors.isEmpty(), "the connector's selectors");
                    selectors.forEach(selector -> selector.submit(Selector::wakeup));
                    assertTrue(collected(loader), "the class loader of deployment " + round + " is still reachable");
                }
                assertTrue(Files.readString(logs.resolve("app.log")).contains("AI Gateway started"), "the channels were in use");
            } finally {
                server.stop();
            }
        }
    }

    /** A weak reference to the web application's class loader: this method's frame holds it no longer. */
    private static WeakReference<ClassLoader> deployUseAndUndeploy(ContextHandlerCollection contexts, Path config,
            URI gateway, FakeBackend backend) throws Exception {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(Deployments.war().toString());
        webapp.addConfiguration(new JndiConfiguration(), new EnvConfiguration(), new PlusConfiguration());
        new EnvEntry(webapp, "aigateway/config", config.toString(), true);
        webapp.setThrowUnavailableOnStartupException(true);
        contexts.addHandler(webapp);
        webapp.start();
        ClassLoader loader = webapp.getClassLoader();
        assertTrue(loader != null && loader != JettyRedeployLeakIT.class.getClassLoader(), "the WAR has its own class loader");
        Deployments.assertServesChat(gateway, backend);
        assertFalse(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("aigateway:*"), null).isEmpty(),
            "the gateway registered its MBeans");

        webapp.stop();
        contexts.removeHandler(webapp);
        webapp.destroy();
        return new WeakReference<>(loader);
    }

    /** Threads still alive that were started by, or run code of, the web application, after joining each a while. */
    private static List<String> threadsOf(WeakReference<ClassLoader> loader) throws InterruptedException {
        List<String> alive = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            ClassLoader webapp = loader.get();
            boolean ours = thread.getName().startsWith("aigateway") || thread.getName().startsWith("Log4j2-AsyncAppender")
                || (webapp != null && (thread.getContextClassLoader() == webapp
                    || thread.getClass().getClassLoader() == webapp));
            webapp = null;
            if (ours) {
                thread.join(10_000);
                if (thread.isAlive())
                    alive.add(thread.getName());
            }
        }
        return alive;
    }

    /**
     * Whether the class loader becomes unreachable: a bounded number of collections, each given some garbage to
     * clear, since {@link System#gc()} is only a request.
     */
    private static boolean collected(WeakReference<ClassLoader> loader) {
        for (int i = 0; i < 50 && loader.get() != null; i++) {
            byte[][] garbage = new byte[64][];
            for (int j = 0; j < garbage.length; j++)
                garbage[j] = new byte[64 * 1024];
            System.gc();
            System.runFinalization();
        }
        return loader.get() == null;
    }
}
