package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.aws.MotoAccount;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.TestingClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code sandbox register-targets --follow} started before its emulator answers (or while it
 * restarts) keeps following: one line per failed attempt, backing off, then a line when the
 * emulator answers again, instead of exiting on the first unreachable-emulator error.
 */
class SandboxFollowTest {

    @Test
    void followRetriesAnUnreachableEmulatorAndCarriesOnWhenItAnswers() throws Exception {
        int port = freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "SKEWLESS_TABLE", "skewless-follow",
                "SKEWLESS_STORE", "dynamodb"), () -> new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), new TestingClock(), MotoAccount.settings(endpoint));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follow = Thread.ofVirtual().start(() -> exit.set(SkewlessCommand.execute(env,
                new String[] {"sandbox", "register-targets", "--follow", "--interval", "100ms"})));
        try {
            // Nothing listens on the port yet: the command says so and keeps going.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().split("cannot reach the emulator", -1).length > 2);
            assertThat(follow.isAlive()).as("still following: " + err).isTrue();
            assertThat(err.toString().lines().filter(l -> l.contains("cannot reach the emulator")))
                    .allSatisfy(l -> assertThat(l).startsWith("skewless: cannot reach the emulator at " + endpoint).contains("; retrying in "));
            assertThat(err.toString()).doesNotContain("\tat ");

            // The emulator comes up on that port.
            try (ServerSocket relay = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                Thread.ofVirtual().start(() -> relayTo(relay, MotoServer.shared().endpoint()));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("skewless: the emulator answers again"));
                assertThat(follow.isAlive()).isTrue();
            }
        } finally {
            follow.interrupt();
            follow.join(Duration.ofSeconds(10));
        }
        assertThat(exit.get()).as(out + "\n" + err).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).startsWith("Registering made-up targets in new skewless target groups every 100ms");
    }

    /** Forwards every connection on {@code relay} to moto, byte for byte. */
    private static void relayTo(ServerSocket relay, URI moto) {
        while (!relay.isClosed()) {
            try {
                Socket client = relay.accept();
                Socket server = new Socket(moto.getHost(), moto.getPort());
                Thread.ofVirtual().start(() -> pump(client, server));
                Thread.ofVirtual().start(() -> pump(server, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            in.transferTo(o);
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
