package dev.skewless.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.operator.admission.TestCertificateAuthority.KeyKind;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AdmissionServer} over real TLS, with certificates from a CA made by openssl, rotated as the kubelet rotates a mounted Secret. */
class AdmissionServerTest {
    @TempDir
    Path dir;

    private TestCertificateAuthority ca;
    private EmbeddedVersionStore store;
    private AdmissionServer server;

    @BeforeEach
    void setUp() throws IOException {
        ca = TestCertificateAuthority.create(Files.createDirectories(dir.resolve("ca")));
        store = EmbeddedVersionStore.open(dir.resolve("store"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        store.close();
    }

    private AdmissionServer start(Path certificates) {
        server = AdmissionServer.start(new AdmissionServerOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), certificates),
                new RecordAdmission(ns -> store));
        return server;
    }

    /** A fresh connection (so a fresh handshake) and the certificate it was shown. */
    private X509Certificate served() throws IOException {
        try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                    .header("Content-Type", "application/json");
            request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                    : request.method(method, HttpRequest.BodyPublishers.ofString(body));
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void reviewsArePostedToValidateOverTlsTrustedThroughTheCaBundle() throws Exception {
        X509Certificate issued = ca.issue(dir.resolve("tls"), KeyKind.EC_PKCS8);
        start(dir.resolve("tls"));
        String valid = AdmissionReviews.review("CREATE", "default", RecordAdmissionTest.app("shop", 100, 199), null).toString();
        var badApp = RecordAdmissionTest.app("shop", 100, 199);
        ((ObjectNode) badApp.get("spec").get("router")).putArray("hostHeaders").add("https://shop.example.com/*");
        String invalid = AdmissionReviews.review("CREATE", "default", badApp, null).toString();

        HttpResponse<String> allowed = send("POST", "/validate?timeout=10s", valid);
        HttpResponse<String> refused = send("POST", "/validate", invalid);

        assertThat(server.uri()).isEqualTo(URI.create("https://127.0.0.1:" + server.port() + "/validate"));
        assertThat(served()).isEqualTo(issued);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode allowedReview = AdmissionReviews.JSON.readTree(allowed.body());
        assertThat(allowedReview.path("response").path("allowed").asBoolean()).isTrue();
        JsonNode refusedReview = AdmissionReviews.JSON.readTree(refused.body());
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refusedReview.path("response").path("allowed").asBoolean()).isFalse();
        assertThat(AdmissionReviews.causes(refusedReview)).extracting(p -> p.path()).contains("spec.router.hostHeaders[0]");
    }

    @Test
    void theHealthPathAnswersAndAnythingButAPostedV1ReviewIsAnHttpError() throws Exception {
        ca.issue(dir.resolve("tls"), KeyKind.EC_PKCS8);
        start(dir.resolve("tls"));
        String beta = AdmissionReviews.review("CREATE", "default", RecordAdmissionTest.app("shop", 100, 199), null)
                .put("apiVersion", "admission.k8s.io/v1beta1").toString();

        assertThat(send("GET", "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/mutate", "{}").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/validate", null).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/validate", "{not json").statusCode()).isEqualTo(400);
        HttpResponse<String> wrongVersion = send("POST", "/validate", beta);
        assertThat(wrongVersion.statusCode()).isEqualTo(400);
        assertThat(wrongVersion.body()).contains("admissionReviewVersions");
    }

    @Test
    void aCertificateRotatedByTheKubeletsSymlinkSwapIsServedOnTheNextHandshake() throws Exception {
        // The kubelet's layout of a mounted Secret: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
        Path mount = Files.createDirectories(dir.resolve("mount"));
        X509Certificate first = ca.issue(mount.resolve("..2026_11_25_10_00_00.1"), KeyKind.EC_PKCS8);
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_11_25_10_00_00.1"));
        Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
        start(mount);
        assertThat(served()).isEqualTo(first);

        X509Certificate second = ca.issue(mount.resolve("..2026_11_25_11_00_00.2"), KeyKind.EC_PKCS8);
        Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_11_25_11_00_00.2"));
        Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(served()).isEqualTo(second);
        assertThat(server.certificate()).isEqualTo(second);
    }

    @Test
    void aHalfWrittenRotationKeepsThePreviousPairUntilTheKeyMatches() throws Exception {
        Path tls = dir.resolve("tls");
        X509Certificate first = ca.issue(tls, KeyKind.EC_PKCS8);
        start(tls);
        X509Certificate second = ca.issue(dir.resolve("staging"), KeyKind.EC_PKCS8);

        Files.copy(dir.resolve("staging/tls.crt"), tls.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        X509Certificate duringRotation = served();
        Files.copy(dir.resolve("staging/tls.key"), tls.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
        X509Certificate afterRotation = served();

        assertThat(duringRotation).isEqualTo(first);
        assertThat(afterRotation).isEqualTo(second);
    }

    @Test
    void aPkcs1RsaKeyAsCertManagerWritesItByDefaultIsRead() throws Exception {
        X509Certificate issued = ca.issue(dir.resolve("tls"), KeyKind.RSA_PKCS1);
        assertThat(Files.readString(dir.resolve("tls/tls.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        start(dir.resolve("tls"));

        assertThat(served()).isEqualTo(issued);
    }

    @Test
    void aMissingOrMismatchedPairRefusesToStartWithTheReason() throws Exception {
        Path tls = dir.resolve("tls");
        ca.issue(tls, KeyKind.EC_PKCS8);
        ca.issue(dir.resolve("other"), KeyKind.EC_PKCS8);
        Files.copy(dir.resolve("other/tls.key"), tls.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> start(dir.resolve("nowhere"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.crt does not exist");
        assertThatThrownBy(() -> start(tls)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the private key of tls.crt");
    }
}
