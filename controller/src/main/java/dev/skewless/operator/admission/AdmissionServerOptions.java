package dev.skewless.operator.admission;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the admission webhook listens and where its key and certificate are.
 *
 * @param bind                 address and port; port 0 picks a free one
 * @param certificateDirectory holds {@code tls.crt} and {@code tls.key} (a mounted cert-manager
 *                             Secret)
 */
public record AdmissionServerOptions(InetSocketAddress bind, Path certificateDirectory) {
    /** Port of the webhook unless {@value #PORT_ENV} says otherwise. */
    public static final int DEFAULT_PORT = 8443;
    /** Where the Deployment mounts the certificate Secret unless {@value #CERT_DIR_ENV} says otherwise. */
    public static final String DEFAULT_CERT_DIR = "/etc/skewless/webhook";
    /** Environment variable: the webhook's port. */
    public static final String PORT_ENV = "SKEWLESS_WEBHOOK_PORT";
    /** Environment variable: the directory holding tls.crt and tls.key. */
    public static final String CERT_DIR_ENV = "SKEWLESS_WEBHOOK_CERT_DIR";

    public AdmissionServerOptions {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(certificateDirectory, "certificateDirectory");
    }

    /**
     * The options the environment gives, or none when the certificate directory holds no
     * {@code tls.crt}: the webhook is then not installed (the records' {@code Valid} condition
     * still reports every problem), and the operator runs without serving it.
     *
     * @throws IllegalArgumentException when {@value #PORT_ENV} is not a port number
     */
    public static Optional<AdmissionServerOptions> fromEnvironment(Map<String, String> env) {
        Path dir = Path.of(env.getOrDefault(CERT_DIR_ENV, DEFAULT_CERT_DIR));
        String portText = env.getOrDefault(PORT_ENV, String.valueOf(DEFAULT_PORT)).strip();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT_ENV + "='" + portText + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT_ENV + "=" + port + " is not a port number (0..65535)");
        }
        if (!Files.exists(dir.resolve(ServingCertificate.CERTIFICATE_FILE))) {
            return Optional.empty();
        }
        return Optional.of(new AdmissionServerOptions(new InetSocketAddress(port), dir));
    }
}
