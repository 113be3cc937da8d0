package dev.skewless.operator.admission;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority made with {@code openssl} (as cert-manager's self-signed
 * Issuer and CA Issuer do in a cluster), issuing serving certificates for 127.0.0.1.
 */
final class TestCertificateAuthority {
    private static final String OPENSSL = "/usr/bin/openssl";

    /** How the serving key is written. */
    enum KeyKind {
        /** ECDSA P-256, PKCS#8 ({@code BEGIN PRIVATE KEY}). */
        EC_PKCS8,
        /** RSA 2048, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), cert-manager's default encoding. */
        RSA_PKCS1
    }

    private final Path dir;
    private int issued;

    private TestCertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir} ({@code ca.crt}, {@code ca.key}). */
    static TestCertificateAuthority create(Path dir) {
        TestCertificateAuthority ca = new TestCertificateAuthority(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=skewless test CA");
        return ca;
    }

    /** The CA certificate, PEM. */
    Path certificate() {
        return dir.resolve("ca.crt");
    }

    /** The CA certificate as a ValidatingWebhookConfiguration's {@code caBundle} (base64 of the PEM). */
    String caBundle() {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(certificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS client context trusting only this CA. */
    SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(certificate())));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Issues a serving certificate for IP 127.0.0.1 and writes it as {@code tls.crt} and
     * {@code tls.key} in {@code target} (created if needed), replacing what is there.
     *
     * @return the certificate written
     */
    X509Certificate issue(Path target, KeyKind kind) {
        int n = ++issued;
        String key = "serving-" + n + ".key";
        String csr = "serving-" + n + ".csr";
        String crt = "serving-" + n + ".crt";
        switch (kind) {
            case EC_PKCS8 -> openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", csr, "-subj", "/CN=skewless-webhook-" + n);
            case RSA_PKCS1 -> {
                openssl("genrsa", "-traditional", "-out", key, "2048");
                openssl("req", "-new", "-key", key, "-out", csr, "-subj", "/CN=skewless-webhook-" + n);
            }
        }
        write(dir.resolve("serving.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", crt, "-days", "1",
                "-extfile", "serving.ext");
        try {
            Files.createDirectories(target);
            Files.copy(dir.resolve(key), target.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve(crt), target.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(dir.resolve(crt)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of the last certificate issued: {@code [crt, key]}. */
    List<Path> lastIssued() {
        return List.of(dir.resolve("serving-" + issued + ".crt"), dir.resolve("serving-" + issued + ".key"));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of(OPENSSL));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
