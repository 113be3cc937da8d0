package dev.skewless.testing;

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

/**
 * A real {@code moto_server} process on a free loopback port, started once per test JVM and shared
 * by every test that talks to "AWS". Tests call {@link #reset()} to start from an empty account.
 *
 * <p>{@code MOTO_ECS_SERVICE_RUNNING} is set so ECS services report running tasks and completed
 * rollouts (moto does not run containers). The process log goes to
 * {@code target/test-logs/moto.log}; the process is killed when the JVM exits.
 */
public final class MotoServer {
    /** Region every test client uses. */
    public static final String REGION = "us-east-1";
    /** moto accepts any credentials; these make the SDK's signer happy. */
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    /** Tasks every ECS service reports as running. */
    public static final int SERVICE_RUNNING = 2;

    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The shared server, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            MotoServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> s.process.destroyForcibly(), "moto-stop"));
        }
        return shared;
    }

    private static MotoServer start() {
        int port = freePort();
        try {
            Path log = Path.of("target", "test-logs", "moto.log");
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(List.of(executable(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("MOTO_ECS_SERVICE_RUNNING", Integer.toString(SERVICE_RUNNING));
            pb.environment().put("AWS_DEFAULT_REGION", REGION);
            Process p = pb.start();
            MotoServer server = new MotoServer(p, URI.create("http://127.0.0.1:" + port));
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server (is it installed and on PATH?)", e);
        }
    }

    /**
     * The moto_server binary: {@code SKEWLESS_MOTO_SERVER} if set, else the first on PATH, else a
     * pyenv install (CI shells do not always source the profile that puts pyenv's shims on PATH).
     */
    static String executable() {
        String explicit = System.getenv("SKEWLESS_MOTO_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "moto_server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
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
                // fall through to the plain name; the start error explains
            }
        }
        return "moto_server";
    }

    /** Where clients send requests. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Stops the process with SIGSTOP: it keeps its port (the kernel still accepts connections) but
     * answers nothing, as a stalled AWS endpoint does. Always {@link #thaw()} in a finally.
     */
    public void freeze() {
        signal("-STOP");
    }

    /** Resumes a {@link #freeze() frozen} process (SIGCONT). */
    public void thaw() {
        signal("-CONT");
    }

    private void signal(String which) {
        try {
            Process kill = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + which + " " + process.pid() + " exited with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not signal moto_server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Forgets every resource: the next test starts from an empty account. */
    public void reset() {
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

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see target/test-logs/moto.log");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET()
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
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
        throw new IllegalStateException("moto_server did not answer within " + timeout);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
