package dev.skewless.infra.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real {@code moto_server} on a free loopback port, started once per test JVM (the controller's
 * tests have the same helper; it is not published to other modules). Log in
 * {@code target/test-logs/moto.log}; killed when the JVM exits.
 */
final class Moto {
    static final Region REGION = Region.US_EAST_1;

    private static Moto shared;

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Moto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static synchronized Moto shared() {
        if (shared == null) {
            shared = start();
            Moto s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> s.process.destroyForcibly(), "moto-stop"));
        }
        return shared;
    }

    /** Where requests go. */
    URI endpoint() {
        return endpoint;
    }

    /** Clients of the deploy commands, pointed at this server. */
    AwsClients clients() {
        return new AwsClients(endpoint, REGION, StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    /** Forgets every resource. */
    void reset() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + r.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Moto start() {
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Path log = Path.of("target", "test-logs", "moto.log");
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(List.of(executable(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MOTO_ECS_SERVICE_RUNNING", "1");
            pb.environment().put("AWS_DEFAULT_REGION", REGION.id());
            Moto m = new Moto(pb.start(), URI.create("http://127.0.0.1:" + port));
            m.awaitReady();
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server (is it installed and on PATH?)", e);
        }
    }

    /** {@code SKEWLESS_MOTO_SERVER}, else PATH, else a pyenv install. */
    private static String executable() {
        String explicit = System.getenv("SKEWLESS_MOTO_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "moto_server"))) {
                return Path.of(dir, "moto_server").toString();
            }
        }
        Path versions = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(versions)) {
            try (var dirs = Files.list(versions)) {
                var found = dirs.map(d -> d.resolve("bin").resolve("moto_server")).filter(Files::isExecutable).sorted().findFirst();
                if (found.isPresent()) {
                    return found.get().toString();
                }
            } catch (IOException e) {
                // fall through; the start error explains
            }
        }
        return "moto_server";
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see target/test-logs/moto.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within 60s");
    }
}
