package io.aigateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for a test by the JDK's own {@code keytool}: a test CA (its certificate as PEM, for
 * {@code backends[].tls.ca_file}), and server key stores for {@link FakeBackend#startTls}: one signed by the CA for
 * 127.0.0.1 and localhost, one signed by the CA for another host name, and one self-signed for 127.0.0.1.
 * EC keys, so that the whole set takes a few seconds.
 */
public final class TestCertificates {
    /** The password of every store made here. */
    public static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA and the three server identities in a new temporary directory. */
    public static TestCertificates create() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("aigateway-tls-"));
            certificates.make();
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void make() {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=AI Gateway Test CA",
            "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        signed("trusted", "san=ip:127.0.0.1,dns:localhost");
        signed("wrong-host", "san=dns:wrong-host.example");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", "self-signed.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust-store.p12");
    }

    private void signed(String name, String san) {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
            "-validity", "2", "-keystore", store);
        keytool("-certreq", "-alias", "server", "-keystore", store, "-file", name + ".csr");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile", name + ".pem",
            "-ext", san, "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool("-importcert", "-alias", "server", "-file", name + ".pem", "-keystore", store);
    }

    /** The test CA's certificate, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS#12 trust store holding the test CA, for {@code javax.net.ssl.trustStore}. */
    public Path trustStore() {
        return dir.resolve("trust-store.p12");
    }

    /** Signed by the test CA for 127.0.0.1 and localhost. */
    public KeyStore trusted() {
        return load("trusted.p12");
    }

    /** Signed by the test CA, but for {@code wrong-host.example}. */
    public KeyStore wrongHost() {
        return load("wrong-host.p12");
    }

    /** Self-signed, for 127.0.0.1 and localhost. */
    public KeyStore selfSigned() {
        return load("self-signed.p12");
    }

    private KeyStore load(String file) {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + file, e);
        }
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
                throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
