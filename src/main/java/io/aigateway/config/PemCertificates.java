package io.aigateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads X.509 certificates from a PEM file (one or several {@code -----BEGIN CERTIFICATE-----} blocks). */
final class PemCertificates {
    private PemCertificates() {
    }

    /** @throws IllegalArgumentException saying why the file gives no certificate, fit for a config problem */
    static List<X509Certificate> read(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read '" + file + "' (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("'" + file + "' is not a PEM file of certificates");
        }
        List<X509Certificate> result = new ArrayList<>();
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x509) {
                result.add(x509);
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("'" + file + "' holds no certificate");
        }
        return List.copyOf(result);
    }
}
