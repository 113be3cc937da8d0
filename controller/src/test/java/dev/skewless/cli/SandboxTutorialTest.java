package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.MotoAccount;
import dev.skewless.engine.AppReconciler;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The README tutorial on moto, step by step with the real commands: {@code init --sandbox},
 * {@code apply}, then the controller (one reconcile pass at a time, wired as in production: real
 * ECS and ALB providers, real planner, the DynamoDB store) with {@code sandbox register-targets}
 * playing ECS's part, while {@code get versions} shows the phases move; then a second release,
 * {@code rollback} and {@code revoke}.
 */
class SandboxTutorialTest {
    private final Terminal t = new Terminal();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private AppReconciler controller;

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        t.close();
    }

    private AppReconciler controller() {
        AwsClientFactory clients = new AwsClientFactory(MotoAccount.settings(MotoServer.shared().endpoint()), new AwsCallMetrics(new SimpleMeterRegistry()));
        EcsClient ecs = clients.ecs();
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        closing.add(clients);
        closing.add(ecs);
        closing.add(elb);
        return new AppReconciler(t.store, new EcsComputePlatform(ecs, clients.applicationAutoScaling(), null),
                new AlbTrafficRouter(elb, null, OwnershipTags.DEFAULT_OWNER, t.clock, Duration.ofMinutes(5)),
                new Planner(PlannerConfig.DEFAULT)::plan, t.clock);
    }

    /**
     * Controller passes 10 s apart, each followed by {@code sandbox register-targets} and
     * {@code get versions shop}, until {@code want} holds; returns the distinct table rows seen.
     */
    private Set<String> until(Map<String, Phase> want) {
        Set<String> rows = new LinkedHashSet<>();
        for (int pass = 0; pass < 40; pass++) {
            controller.reconcile("shop");
            Terminal.Run targets = t.run("sandbox", "register-targets");
            assertThat(targets.exit()).as(targets.toString()).isZero();
            Terminal.Run get = t.run("get", "versions", "shop");
            assertThat(get.exit()).as(get.toString()).isZero();
            get.out().lines().skip(1).forEach(l -> rows.add(l.replaceAll(" +", " ")));
            if (phases().entrySet().containsAll(want.entrySet())) {
                return rows;
            }
            t.clock.advance(Duration.ofSeconds(10));
        }
        throw new AssertionError("not reached " + want + "; phases " + phases() + "; rows " + rows);
    }

    private Map<String, Phase> phases() {
        Map<String, Phase> out = new TreeMap<>();
        for (AppVersion v : t.store.listVersions("shop")) {
            out.put(v.id(), v.status().phase());
        }
        return out;
    }

    @Test
    void theTutorialWorksOnMoto() {
        Path manifest = dir.resolve("sandbox/shop-app.yaml");
        Terminal.Run init = t.run("init", "--sandbox", "--app-manifest", manifest.toString());
        assertThat(init.exit()).as(init.toString()).isZero();
        controller = controller();

        Terminal.Run apply = t.run("apply", "-f", manifest.toString(), "-f", CliFixtures.V1);
        assertThat(apply.exit()).as(apply.toString()).isZero();
        Set<String> first = until(Map.of("v1", Phase.Live));
        assertThat(first).anyMatch(r -> r.startsWith("shop v1 Provisioning")).anyMatch(r -> r.startsWith("shop v1 Live 2/2"));
        assertThat(t.run("wait", "shop", "v1", "--for", "phase=Live", "--timeout", "1s").exit()).isZero();

        Terminal.Run second = t.run("apply", "-f", CliFixtures.V2);
        assertThat(second.exit()).as(second.toString()).isZero();
        Set<String> release = until(Map.of("v1", Phase.Superseded, "v2", Phase.Live));
        assertThat(release).anyMatch(r -> r.startsWith("shop v2 Provisioning")).anyMatch(r -> r.startsWith("shop v1 Superseded "));
        assertThat(t.store.getApp("shop").orElseThrow().status().liveVersion()).isEqualTo("v2");

        Terminal.Run rollback = t.run("rollback", "shop");
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        until(Map.of("v1", Phase.Live, "v2", Phase.Superseded));
        assertThat(t.store.getApp("shop").orElseThrow().status().liveVersion()).isEqualTo("v1");

        Terminal.Run revoke = t.run("revoke", "shop", "v2");
        assertThat(revoke.exit()).as(revoke.toString()).isZero();
        Set<String> gone = until(Map.of("v1", Phase.Live, "v2", Phase.Retired));
        assertThat(gone).anyMatch(r -> r.startsWith("shop v2 Draining (Revoked)")).anyMatch(r -> r.startsWith("shop v2 Retired (Revoked)"));
        assertThat(t.store.getVersion(new VersionKey("shop", "v2")).orElseThrow().spec().revoked()).isTrue();
    }
}
