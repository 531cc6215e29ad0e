package io.aigateway.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code backends[].tls}: how the backend's certificate is verified. It always is, host name included: there is
 * deliberately no switch that turns verification off. A backend with a private or test CA names that CA instead.
 *
 * @param caFile         {@code backends[].tls.ca_file}: a PEM file of CA certificates; when given, the backend's
 *                       certificate must chain to one of them (and only to them: the JDK's trust store no longer
 *                       applies to this backend); null for the JDK's trust store. Read when the config is loaded.
 * @param caCertificates the certificates read from {@code caFile}; empty when it is null
 */
public record BackendTlsConfig(Path caFile, List<X509Certificate> caCertificates) {
    /** The JDK's trust store, as before the setting existed. */
    public static final BackendTlsConfig DEFAULT = new BackendTlsConfig(null, List.of());

    /** @throws ConfigException when a file is given without certificates */
    public BackendTlsConfig {
        Problems problems = new Problems();
        if (caCertificates == null) {
            problems.add("ca_file", "is required");
        } else if (caFile != null && caCertificates.isEmpty()) {
            problems.add("ca_file", "holds no certificate");
        } else if (caFile == null && !caCertificates.isEmpty()) {
            problems.add("ca_file", "is required with certificates");
        }
        problems.throwIfAny("BackendTlsConfig");
        caCertificates = List.copyOf(caCertificates);
    }

    /** Trusts the CA certificates in the PEM file, read now. */
    public static BackendTlsConfig caFile(Path file) {
        return new BackendTlsConfig(file, PemCertificates.read(file));
    }

    /** Whether the backend trusts its own CAs instead of the JDK's trust store. */
    public boolean customTrust() {
        return caFile != null;
    }

    @Override
    public String toString() {
        return caFile == null ? "default trust" : "ca_file=" + caFile;
    }
}
