package io.aigateway.security;

import io.aigateway.testing.GatewayServer;
import org.eclipse.jetty.server.ServerConnector;

import java.time.Duration;

/**
 * The connector of a test gateway: the timeout tests need a short idle timeout (the one the launcher or container
 * sets) so that they finish in seconds rather than in Jetty's default 30 s.
 */
final class GatewayConnector {
    private GatewayConnector() {
    }

    /** Sets the idle timeout of connections accepted from now on. */
    static void idleTimeout(GatewayServer gateway, Duration timeout) {
        connector(gateway).setIdleTimeout(timeout.toMillis());
    }

    static ServerConnector connector(GatewayServer gateway) {
        return gateway.connector();
    }
}
