package dev.skewless.operator.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint the API server calls for the validating admission webhook:
 * {@code POST /validate} with an AdmissionReview, answered by {@link RecordAdmission}.
 *
 * <p>TLS 1.2 and 1.3, with the key and certificate of a {@link ServingCertificate} (re-read when
 * cert-manager rotates them). One virtual thread per request: a review may wait on the API server
 * for the namespace's records. No client certificate is asked for; the webhook only answers
 * questions, and it reads nothing the caller could not read itself.
 *
 * <p>Answers: 200 with the review's response (allowed or refused); 200 {@code ok} to
 * {@code GET /healthz}; 400 for a body that is not an
 * {@code admission.k8s.io/v1} AdmissionReview; 404 for another path; 405 for another method;
 * 413 for a body over {@value #MAX_BODY} bytes (the API server sends at most two objects of
 * etcd's 1.5 MB limit). With {@code failurePolicy: Fail}, any answer but 200 refuses the write.
 */
public final class AdmissionServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** The path the ValidatingWebhookConfiguration names. */
    public static final String PATH = "/validate";
    /**
     * Answers 200 while the server serves: the pod's readiness probe (decision 038), so that
     * the webhook Service routes to every replica that can answer reviews, leader or not.
     */
    public static final String HEALTH_PATH = "/healthz";
    /** Largest request body read. */
    static final int MAX_BODY = 8 * 1024 * 1024;

    private final HttpsServer server;
    private final ExecutorService requests;
    private final ServingCertificate certificate;
    private final RecordAdmission admission;

    private AdmissionServer(HttpsServer server, ExecutorService requests, ServingCertificate certificate, RecordAdmission admission) {
        this.server = server;
        this.requests = requests;
        this.certificate = certificate;
        this.admission = admission;
    }

    /**
     * Reads the key and certificate, binds the port and starts serving.
     *
     * @param options   where to listen and where the key and certificate are
     * @param admission decides each review
     * @return the running server; {@link #close()} stops it
     * @throws IllegalArgumentException when the key or certificate cannot be used
     * @throws UncheckedIOException     when the port cannot be bound
     */
    public static AdmissionServer start(AdmissionServerOptions options, RecordAdmission admission) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(admission, "admission");
        ServingCertificate certificate = ServingCertificate.load(options.certificateDirectory());
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {certificate}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot set up TLS", e);
        }
        HttpsServer server;
        try {
            server = HttpsServer.create(options.bind(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.bind(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                p.setNeedClientAuth(false);
                params.setSSLParameters(p);
            }
        });
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(requests);
        AdmissionServer out = new AdmissionServer(server, requests, certificate, admission);
        server.createContext("/", out::handle);
        server.start();
        X509Certificate served = certificate.certificate();
        log.atInfo().addKeyValue("uri", out.uri()).addKeyValue("subject", served.getSubjectX500Principal().getName())
                .addKeyValue("notAfter", served.getNotAfter().toInstant()).log("admission webhook listening");
        return out;
    }

    /** The port bound (useful when the options asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The webhook's address, e.g. {@code https://127.0.0.1:8443/validate}. */
    public URI uri() {
        var address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + PATH);
    }

    /** The certificate served now. */
    public X509Certificate certificate() {
        return certificate.certificate();
    }

    /** Stops accepting connections, lets reviews in progress finish (up to a second: a review is one read of the namespace), stops. */
    @Override
    public void close() {
        server.stop(1);
        requests.close();
        log.atInfo().log("admission webhook stopped");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (HEALTH_PATH.equals(exchange.getRequestURI().getPath()) && "GET".equals(exchange.getRequestMethod())) {
                send(exchange, 200, "text/plain", "ok");
                return;
            }
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "text/plain", "not found; the webhook is at " + PATH);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "text/plain", "POST an AdmissionReview");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "text/plain", "request body over " + MAX_BODY + " bytes");
                return;
            }
            JsonNode review;
            try {
                review = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                send(exchange, 400, "text/plain", "not JSON: " + e.getOriginalMessage());
                return;
            }
            try {
                send(exchange, 200, "application/json", JSON.writeValueAsString(admission.review(review)));
            } catch (MalformedReviewException e) {
                send(exchange, 400, "text/plain", e.getMessage());
            }
        } catch (RuntimeException e) {
            log.atError().addKeyValue("action", "Admit").addKeyValue("outcome", "failed").setCause(e).log("admission review failed");
            send(exchange, 500, "text/plain", "the webhook failed: " + e);
        } finally {
            exchange.close();
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void send(HttpExchange exchange, int code, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
