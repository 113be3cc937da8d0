package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.VersionKey;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * promote, rollback and revoke: they change specs through the store's apply path (generation
 * bumps) and refuse what would hurt, writing nothing. shop: v1 Superseded, v2 Live, v3 Provisioning.
 */
class ReleaseVerbsTest {
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

    private App app() {
        return t.store.getApp("shop").orElseThrow();
    }

    private AppVersion version(String id) {
        return t.store.getVersion(new VersionKey("shop", id)).orElseThrow();
    }

    @Test
    void promoteRefusesAPendingVersion() {
        t.runWithInput(CliFixtures.v3Manifest().replace("v3", "v4"), "apply", "--no-verify", "-f", "-");

        Terminal.Run r = t.run("promote", "shop", "v4");

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop/v4 is Pending").contains("Only a Ready, Live or Superseded version can be promoted")
                .contains("Nothing was changed").contains("skewless wait shop v4 --for phase=Ready");
        assertThat(app().spec().release().live()).isEqualTo("v2");
        assertThat(app().metadata().generation()).isEqualTo(1);
    }

    @Test
    void promoteRefusesAProvisioningVersionSayingWhatItWaitsFor() {
        Terminal.Run r = t.run("promote", "shop", "v3");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop/v3 is Provisioning (Waiting for healthy tasks)");
        assertThat(app().metadata().generation()).isEqualTo(1);
    }

    @Test
    void promoteASupersededVersion() {
        Terminal.Run r = t.run("promote", "shop", "v1");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("App shop configured: release.live v2 -> v1")
                .contains("v1 is Superseded and runs 1 of 2 tasks: the controller scales it back up first")
                .contains("v2 stays live until then")
                .contains("skewless wait shop v1 --for phase=Live --timeout 5m");
        assertThat(app().spec().release().live()).isEqualTo("v1");
        assertThat(app().metadata().generation()).isEqualTo(2);
        assertThat(app().status().liveVersion()).as("status is the controller's").isEqualTo("v2");
    }

    @Test
    void promoteTheLiveVersionAgainChangesNothing() {
        Terminal.Run r = t.run("promote", "shop", "v2");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("App shop unchanged: release.live is already v2.");
        assertThat(app().metadata().generation()).isEqualTo(1);
    }

    @Test
    void promoteDryRunWritesNothing() {
        Terminal.Run r = t.run("promote", "shop", "v1", "--dry-run");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("App shop configured (dry run): release.live v2 -> v1").contains("Dry run: nothing was written.");
        assertThat(app().spec().release().live()).isEqualTo("v2");
    }

    @Test
    void promoteRefusesAnUnknownVersionListingTheKnownOnes() {
        Terminal.Run r = t.run("promote", "shop", "v9");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("App shop has no version 'v9'. Its versions: v1 (Superseded), v2 (Live), v3 (Provisioning).");
    }

    @Test
    void rollbackGoesToTheNewestRetainedOlderVersion() {
        Terminal.Run r = t.run("rollback", "shop");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Rolling shop back from v2 to v1.").contains("release.live v2 -> v1");
        assertThat(app().spec().release().live()).isEqualTo("v1");
        assertThat(app().metadata().generation()).isEqualTo(2);
    }

    @Test
    void rollbackRefusesWhenNoOlderVersionIsRetained() {
        t.status("shop", "v1", b -> b.phase(Phase.Draining).expiryReason("Retention"));

        Terminal.Run r = t.run("rollback", "shop");

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("No version of shop to roll back to: none older than live v2 is still retained")
                .contains("older versions: v1 Draining (Retention)").contains("Nothing was changed");
        assertThat(app().metadata().generation()).isEqualTo(1);
    }

    @Test
    void revokeOneVersion() {
        Terminal.Run r = t.run("revoke", "shop", "v1");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("AppVersion shop/v1 revoked (was Superseded)").contains("pinned clients get 410 Gone").contains("waits 30s");
        assertThat(version("v1").spec().revoked()).isTrue();
        assertThat(version("v1").metadata().generation()).isEqualTo(2);
        assertThat(version("v1").status().phase()).as("the controller moves it").isEqualTo(Phase.Superseded);

        Terminal.Run again = t.run("revoke", "shop", "v1");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already revoked");
        assertThat(version("v1").metadata().generation()).isEqualTo(2);
    }

    @Test
    void revokeRefusesTheLiveVersionUnlessForced() {
        Terminal.Run refused = t.run("revoke", "shop", "v2");

        assertThat(refused.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("shop/v2 is live").contains("Nothing was revoked").contains("skewless rollback shop").contains("--force");
        assertThat(version("v2").spec().revoked()).isFalse();

        Terminal.Run forced = t.run("revoke", "shop", "v2", "--force");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("Forced: v2 was live");
        assertThat(version("v2").spec().revoked()).isTrue();
    }

    @Test
    void revokeOlderThanRevokesEveryOlderVersionButRefusesToTakeTheLiveOne() {
        Terminal.Run refused = t.run("revoke", "shop", "--older-than", "v3");

        assertThat(refused.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("shop/v2 is live");
        assertThat(version("v1").spec().revoked()).as("nothing written when refused").isFalse();

        Terminal.Run r = t.run("revoke", "shop", "--older-than", "v2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("AppVersion shop/v1 revoked (was Superseded)").doesNotContain("shop/v2 revoked");
        assertThat(version("v1").spec().revoked()).isTrue();
        assertThat(version("v2").spec().revoked()).isFalse();
        assertThat(version("v3").spec().revoked()).isFalse();

        Terminal.Run nothing = t.run("revoke", "shop", "--older-than", "v2");
        assertThat(nothing.exit()).isZero();
        assertThat(nothing.out()).contains("Nothing to revoke");
    }

    @Test
    void promoteRefusesARevokedVersion() {
        t.run("revoke", "shop", "v1");

        Terminal.Run r = t.run("promote", "shop", "v1");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop/v1 is revoked").contains("new version id");
    }

    @Test
    void aChangeMadeWhileTheVerbRanIsNotOverwritten() {
        App read = app();
        t.run("promote", "shop", "v1"); // someone else, in between: generation 2

        App mine = new App(read.metadata(), new AppSpec(read.spec().platform(), read.spec().router(), read.spec().routing(),
                read.spec().retention(), new ReleaseSpec("v2", null), read.spec().local()), null);
        assertThatThrownBy(() -> ReleaseChanges.write(t.store, "promote", List.of(mine), List.of(), false))
                .isInstanceOfSatisfying(CliFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.FAILED);
                    assertThat(f.getMessage()).isEqualTo("Someone changed App shop while this command ran. Nothing was written.");
                });
        assertThat(app().spec().release().live()).isEqualTo("v1");
        assertThat(app().metadata().generation()).isEqualTo(2);
    }

    @Test
    void revokeNeedsExactlyOneOfVersionAndOlderThan() {
        Terminal.Run neither = t.run("revoke", "shop");
        Terminal.Run both = t.run("revoke", "shop", "v1", "--older-than", "v2");

        assertThat(neither.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(neither.err()).contains("Say which version to revoke");
        assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("not both");
    }
}
