package io.aigateway.proxy;

import io.aigateway.config.BackendConfig;
import io.aigateway.config.BackendTlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one trust manager of the upstream client: it verifies each backend's certificate against that backend's
 * {@code tls.ca_file} when it has one, else against the JDK's trust store. The peer is known by the host and port
 * the client connects to, which is also how the client pools connections, so two backends on one host and port
 * share one trust setting (the config refuses a disagreement). Host names are checked by the delegate (the engine
 * carries endpoint identification {@code HTTPS}), so there is no path on which verification is skipped.
 *
 * <p>The backends come from a supplier read at each handshake: a reloaded config is in force for the next
 * connection, without a window in which a new backend is checked against the old trust.
 */
final class BackendTrust extends X509ExtendedTrustManager {
    private final Supplier<List<BackendConfig>> backends;
    private final X509ExtendedTrustManager jdkDefault;
    private volatile Table table;

    /** Trust per peer, built for one list of backends. */
    private record Table(List<BackendConfig> backends, Map<String, X509ExtendedTrustManager> byPeer) {
    }

    BackendTrust(Supplier<List<BackendConfig>> backends) {
        this.backends = backends;
        this.jdkDefault = trustManager(null);
    }

    /** The peer's key: lower-case host without IPv6 brackets, and port (the scheme's default when absent). */
    static String peer(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]"))
            name = name.substring(1, name.length() - 1);
        return name + ":" + port;
    }

    static String peer(URI endpoint) {
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
        return peer(endpoint.getHost(), port);
    }

    private X509ExtendedTrustManager forPeer(String host, int port) throws CertificateException {
        if (host == null)
            throw new CertificateException("No peer host to verify the certificate against");
        return table().byPeer().getOrDefault(peer(host, port), jdkDefault);
    }

    private Table table() {
        List<BackendConfig> current = backends.get();
        Table known = table;
        if (known != null && known.backends() == current)
            return known;
        Map<String, X509ExtendedTrustManager> byPeer = new HashMap<>();
        Map<List<X509Certificate>, X509ExtendedTrustManager> byCas = new HashMap<>();
        for (BackendConfig backend : current) {
            BackendTlsConfig tls = backend.tls();
            if (tls.customTrust())
                byPeer.putIfAbsent(peer(backend.endpoint()), byCas.computeIfAbsent(tls.caCertificates(), BackendTrust::trustManager));
        }
        Table built = new Table(current, Map.copyOf(byPeer));
        table = built;
        return built;
    }

    /** A PKIX trust manager over these CAs, or over the JDK's trust store when null. */
    private static X509ExtendedTrustManager trustManager(List<X509Certificate> cas) {
        try {
            KeyStore store = null;
            if (cas != null) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++)
                    store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509)
                    return x509;
            }
            throw new IllegalStateException("The JDK offers no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException x) {
            throw new IllegalStateException("Cannot build a trust manager", x);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        forPeer(engine.getPeerHost(), engine.getPeerPort()).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (!(socket instanceof javax.net.ssl.SSLSocket ssl) || ssl.getHandshakeSession() == null)
            throw new CertificateException("Cannot tell which backend this socket reaches");
        forPeer(ssl.getHandshakeSession().getPeerHost(), ssl.getHandshakeSession().getPeerPort())
            .checkServerTrusted(chain, authType, socket);
    }

    /** Without a connection there is no host to check the certificate against: refused. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("Certificates are verified only with their connection (host name check)");
    }

    /** The gateway is never a TLS server on this client. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("Client certificates are not accepted here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("Client certificates are not accepted here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("Client certificates are not accepted here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdkDefault.getAcceptedIssuers();
    }
}
