package io.aigateway.bench.mock;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The mock OpenAI backend as a process: {@code MockBackend PORT[,PORT...]}, listening on 127.0.0.1 only. Several
 * ports make several backends for the gateway and nginx, served by one process. Prints {@code mock ready} when
 * listening and stops on SIGTERM.
 */
public final class MockBackend {

    private static final int THREADS = 64;
    private static final int ACCEPT_QUEUE = 8192;

    private MockBackend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MockBackend PORT[,PORT...]");
            System.exit(2);
        }
        Server server = start(parsePorts(args[0]));
        System.out.println("mock ready");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }));
        server.join();
    }

    static Server start(List<Integer> ports) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 4);
        threads.setName("mock");
        Server server = new Server(threads);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("mock-pacing", false);
        server.addBean(scheduler);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        for (int port : ports) {
            ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
            connector.setIdleTimeout(120_000);
            server.addConnector(connector);
        }
        server.setHandler(new MockHandler(scheduler));
        server.start();
        return server;
    }

    private static List<Integer> parsePorts(String list) {
        List<Integer> ports = new ArrayList<>();
        for (String port : list.split(",")) {
            ports.add(Integer.parseInt(port.trim()));
        }
        return ports;
    }
}
