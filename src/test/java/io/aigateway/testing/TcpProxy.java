package io.aigateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder a test controls, put between the gateway and a server (Redis, MariaDB) so that the test can cut
 * the server off mid-test: {@link #close()} drops every connection and stops listening.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        return start(targetHost, targetPort, 0);
    }

    /**
     * A forwarder listening on {@code listenPort} (0: any free port). A test brings a server "back" by starting a new
     * proxy on the port of the one it closed: the gateway's configured address stays the same.
     */
    public static TcpProxy start(String targetHost, int targetPort, int listenPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 50);
        TcpProxy proxy = new TcpProxy(socket, targetHost, targetPort);
        Thread acceptor = new Thread(proxy::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                // Accepted while close() ran: close() may have gone through the list before these were added.
                if (closed) {
                    closeQuietly(client);
                    closeQuietly(server);
                    return;
                }
                pump(client, server);
                pump(server, client);
            } catch (IOException x) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException x) {
                // One side closed: the other follows.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
