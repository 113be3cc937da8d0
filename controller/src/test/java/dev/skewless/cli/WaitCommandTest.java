package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.Phase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code skewless wait}: polls the store; 0 when reached, 1 when it cannot get there, 3 on timeout. */
class WaitCommandTest {
    private final Terminal t = Terminal.withTable();

    @BeforeEach
    void arrange() {
        CliFixtures.shopWithThreeVersions(t);
        CliFixtures.statuses(t);
    }

    @AfterEach
    void close() {
        t.close();
    }

    /** Runs {@code wait} while another thread plays the controller, writing {@code phases} one after another. */
    private Terminal.Run waitWhileControllerWrites(String[] args, Phase... phases) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread controller = Thread.ofVirtual().start(() -> {
            try {
                started.await();
                for (Phase p : phases) {
                    Thread.sleep(200);
                    t.status("shop", "v3", b -> b.phase(p).runningCount(2).message(p == Phase.Failed ? "tasks keep stopping: exit code 137" : p + " now"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.countDown();
        Terminal.Run r = t.run(args);
        controller.join(TimeUnit.SECONDS.toMillis(30));
        return r;
    }

    @Test
    void succeedsWhenTheVersionGetsThere() throws InterruptedException {
        Terminal.Run r = waitWhileControllerWrites(new String[] {"wait", "shop", "v3", "--for", "phase=Live", "--timeout", "60s", "--interval", "50ms"},
                Phase.Ready, Phase.Live);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("shop/v3 Provisioning: Waiting for healthy tasks\n").contains("shop/v3 Live now\n")
                .endsWith("shop/v3 is Live.\n");
    }

    @Test
    void readyIsMetByAVersionThatAlreadyWentLive() {
        Terminal.Run live = t.run("wait", "shop", "v2", "--for", "phase=Ready", "--timeout", "1s");
        Terminal.Run notLive = t.run("wait", "shop", "v1", "--for", "phase=Live", "--timeout", "200ms", "--interval", "50ms");

        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(live.out()).endsWith("shop/v2 is Live (so it has been Ready).\n");
        assertThat(notLive.exit()).as("a Superseded version is not Live").isEqualTo(ExitCode.TIMEOUT);
    }

    @Test
    void timesOutWithExitThreeSayingWhereItIs() {
        Terminal.Run r = t.run("wait", "shop", "v3", "--for", "phase=Live", "--timeout", "300ms", "--interval", "100ms");

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(r.err()).contains("Timed out after 300ms waiting for shop/v3 to be Live; it is Provisioning: Waiting for healthy tasks.")
                .contains("skewless describe shop v3").contains("--timeout 15m");
    }

    @Test
    void timeoutSaysWhenTheVersionWillNotGoLiveByItself() {
        t.status("shop", "v3", b -> b.phase(Phase.Ready).message("Ready"));

        Terminal.Run r = t.run("wait", "shop", "v3", "--timeout", "100ms", "--interval", "50ms");

        assertThat(r.exit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(r.err()).contains("shop's release.live is v2").contains("skewless promote shop v3");
    }

    @Test
    void failsAtOnceWhenTheVersionFails() throws InterruptedException {
        Terminal.Run r = waitWhileControllerWrites(new String[] {"wait", "shop", "v3", "--for", "phase=Live", "--timeout", "60s", "--interval", "50ms"},
                Phase.Failed);

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop/v3 Failed while waiting for Live: tasks keep stopping: exit code 137").contains("skewless describe shop v3");
    }

    @Test
    void failsAtOnceForAPhaseADrainingVersionCanNeverReach() {
        t.status("shop", "v1", b -> b.phase(Phase.Draining).expiryReason("Revoked"));

        Terminal.Run r = t.run("wait", "shop", "v1", "--for", "phase=Live", "--timeout", "10m");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop/v1 is Draining (Revoked): it is leaving service for good and will never be Live.");
    }

    @Test
    void badConditionsAndDurationsAreUsageErrors() {
        Terminal.Run condition = t.run("wait", "shop", "v3", "--for", "ready");
        Terminal.Run phase = t.run("wait", "shop", "v3", "--for", "phase=Running");
        Terminal.Run timeout = t.run("wait", "shop", "v3", "--timeout", "soon");

        assertThat(condition.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(condition.err()).contains("only phase=PHASE is supported");
        assertThat(phase.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(phase.err()).contains("'Running' is not a phase");
        assertThat(timeout.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(timeout.err()).contains("--timeout soon");
    }
}
