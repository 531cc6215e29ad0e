package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import org.eclipse.jetty.ee10.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee10.webapp.JndiConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.EnvEntry;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packaged WAR, unchanged, in a Jetty 12 ee10 {@link WebAppContext} with its config as a JNDI env entry. */
class JettyDeploymentIT {
    @Test
    void warServesChatInJettyAndRedeploysWithoutLeavingThreads() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            WebAppContext webapp = new WebAppContext();
            webapp.setContextPath("/");
            webapp.setWar(Deployments.war().toString());
            webapp.addConfiguration(new JndiConfiguration(), new EnvConfiguration(), new PlusConfiguration());
            new EnvEntry(webapp, "aigateway/config", config.toString(), true);
            webapp.setThrowUnavailableOnStartupException(true);
            server.setHandler(webapp);
            server.start();
            try {
                URI gateway = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                Deployments.assertServesChat(gateway, backend);

                // Redeploy: stop and start the context twice; each start must serve, each stop must leave nothing.
                for (int i = 0; i < 2; i++) {
                    webapp.stop();
                    assertEquals(List.of(), Deployments.upstreamThreadsAfterJoin(), "threads left after undeploy " + i);
                    webapp.start();
                    Deployments.assertServesChat(gateway, backend);
                }
            } finally {
                server.stop();
            }
            assertEquals(List.of(), Deployments.upstreamThreadsAfterJoin());
        }
    }
}
