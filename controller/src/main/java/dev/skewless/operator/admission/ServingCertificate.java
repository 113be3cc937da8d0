package dev.skewless.operator.admission;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's TLS key and certificate, read from PEM files in a directory laid out as
 * cert-manager's Secrets are mounted ({@code tls.crt}: the certificate, then its chain;
 * {@code tls.key}: the private key, PKCS#8 or PKCS#1 RSA), and read again when they change.
 *
 * <p>Rotation: before each TLS handshake the files' real paths, inodes, sizes and modification
 * times are compared with the last read (a few {@code stat} calls, no thread, no timer). The kubelet
 * replaces a mounted Secret's files by swapping a symlink, so the real path changes too. A new
 * pair is used only once it reads cleanly and the key matches the certificate: a half-written
 * pair keeps the previous one serving, with one warning, and is read again on the next handshake.
 * A handshake that started on the previous pair finishes on it.
 */
public final class ServingCertificate extends X509ExtendedKeyManager {
    private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);
    /** The certificate file in the directory. */
    public static final String CERTIFICATE_FILE = "tls.crt";
    /** The private key file in the directory. */
    public static final String KEY_FILE = "tls.key";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    /** What identifies one version of the two files. */
    private record Stamp(String certificate, String key) {}

    /** One read of the files: the alias names the read, so a handshake never mixes two. */
    private record Loaded(Stamp stamp, String alias, X509Certificate[] chain, PrivateKey key, X509ExtendedKeyManager keys) {}

    private final Path directory;
    private final AtomicLong reads = new AtomicLong();
    private volatile Loaded current;
    private volatile Loaded previous;
    private volatile Stamp refused;

    private ServingCertificate(Path directory, Loaded first) {
        this.directory = directory;
        this.current = first;
        this.previous = first;
    }

    /**
     * Reads the key and certificate.
     *
     * @param directory holds {@code tls.crt} and {@code tls.key}
     * @throws IllegalArgumentException when a file is missing or unreadable, or the key does not
     *                                  belong to the certificate
     */
    public static ServingCertificate load(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new ServingCertificate(directory, read(directory, stamp(directory), 0));
    }

    /** The certificate served now (after re-reading the files if they changed). */
    public X509Certificate certificate() {
        refresh();
        return current.chain()[0];
    }

    /** The directory the files are read from. */
    public Path directory() {
        return directory;
    }

    private void refresh() {
        Stamp now = stamp(directory);
        Loaded loaded = current;
        if (now.equals(loaded.stamp()) || now.equals(refused)) {
            return;
        }
        synchronized (this) {
            if (now.equals(current.stamp())) {
                return;
            }
            try {
                Loaded next = read(directory, now, reads.incrementAndGet());
                previous = current;
                current = next;
                refused = null;
                log.atInfo().addKeyValue("directory", directory).addKeyValue("subject", next.chain()[0].getSubjectX500Principal().getName())
                        .addKeyValue("notAfter", next.chain()[0].getNotAfter().toInstant()).addKeyValue("action", "ReloadCertificate")
                        .addKeyValue("outcome", "ok").log("webhook serving certificate reloaded");
            } catch (RuntimeException e) {
                refused = now;
                log.atWarn().addKeyValue("directory", directory).addKeyValue("action", "ReloadCertificate").addKeyValue("outcome", "kept")
                        .addKeyValue("error", e.getMessage()).log("the changed key or certificate cannot be used yet; still serving the previous one");
            }
        }
    }

    private static Stamp stamp(Path directory) {
        return new Stamp(fileStamp(directory.resolve(CERTIFICATE_FILE)), fileStamp(directory.resolve(KEY_FILE)));
    }

    private static String fileStamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return file.toRealPath() + " " + a.fileKey() + " " + a.size() + " " + a.lastModifiedTime();
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable " + e.getMessage();
        }
    }

    private static Loaded read(Path directory, Stamp stamp, long n) {
        Path certFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        X509Certificate[] chain = certificates(certFile, text(certFile));
        PrivateKey key = privateKey(keyFile, text(keyFile), chain[0].getPublicKey());
        String alias = "serving-" + n;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, NO_PASSWORD, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(store, NO_PASSWORD);
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509ExtendedKeyManager x) {
                    return new Loaded(stamp, alias, chain, key, x);
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedKeyManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the key and certificate in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static X509Certificate[] certificates(Path file, String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher m = PEM.matcher(pem);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(m))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no -----BEGIN CERTIFICATE----- block");
        }
        return out.toArray(X509Certificate[]::new);
    }

    private static PrivateKey privateKey(Path file, String pem, PublicKey certified) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no PEM private key");
        }
        byte[] pkcs8 = switch (m.group(1)) {
            case "PRIVATE KEY" -> der(m);
            case "RSA PRIVATE KEY" -> Pkcs8.wrapRsa(der(m));
            default -> throw new IllegalArgumentException(file + " holds a '" + m.group(1) + "' block; use PKCS#8 (BEGIN PRIVATE KEY) "
                    + "or PKCS#1 RSA (with cert-manager, spec.privateKey.encoding: PKCS8 on the Certificate)");
        };
        try {
            PrivateKey key = KeyFactory.getInstance(certified.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            requireMatch(file, key, certified);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a " + certified.getAlgorithm() + " private key for the certificate: " + e.getMessage(), e);
        }
    }

    /** A key that does not sign what the certificate's public key verifies would fail every handshake. */
    private static void requireMatch(Path file, PrivateKey key, PublicKey certified) throws GeneralSecurityException {
        String algorithm = switch (certified.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> certified.getAlgorithm();
        };
        byte[] probe = "skewless".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certified);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException(file + " is not the private key of " + CERTIFICATE_FILE + " (written half way through a rotation?)");
        }
    }

    private static byte[] der(Matcher m) {
        return Base64.getMimeDecoder().decode(m.group(2));
    }

    private Loaded byAlias(String alias) {
        Loaded c = current;
        if (c.alias().equals(alias)) {
            return c;
        }
        Loaded p = previous;
        return p.alias().equals(alias) ? p : null;
    }

    // ---------------------------------------------------------------- X509ExtendedKeyManager

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        refresh();
        Loaded c = current;
        String chosen = c.keys().chooseEngineServerAlias(keyType, issuers, engine);
        return chosen == null ? null : c.alias();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        refresh();
        Loaded c = current;
        String chosen = c.keys().chooseServerAlias(keyType, issuers, socket);
        return chosen == null ? null : c.alias();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Loaded c = current;
        return c.keys().getServerAliases(keyType, issuers) == null ? null : new String[] {c.alias()};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded l = byAlias(alias);
        return l == null ? null : l.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded l = byAlias(alias);
        return l == null ? null : l.key();
    }

    /** The webhook never authenticates as a client. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** The webhook never authenticates as a client. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** The webhook never authenticates as a client. */
    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
