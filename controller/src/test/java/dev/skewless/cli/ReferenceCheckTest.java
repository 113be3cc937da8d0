package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.MotoAccount;
import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.validation.Subject;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.service.ControllerMetrics;
import dev.skewless.service.SoleLeaderLease;
import dev.skewless.service.StatusFeed;
import dev.skewless.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Decision 031 on moto: {@code apply} refuses an App whose listener, cluster, subnet, security
 * group or role does not exist, listing every problem with its field path; {@code --no-verify}
 * skips the check; and a reference that goes missing after the App was accepted becomes a
 * terminal {@code InvalidReference} condition on the App and its versions in one pass, which
 * {@code wait} stops on with exit 1, {@code describe} explains, and the metrics count as
 * {@code outcome="invalid"}.
 */
class ReferenceCheckTest {
    private static final String MISSING_SUBNET = "subnet-0000000000000dead";
    private static final String MISSING_GROUP = "sg-0000000000000dead";

    private final Terminal t = new Terminal();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ReconcileObserver.Decision> decisions = new CopyOnWriteArrayList<>();
    private Path manifest;
    private App sandboxApp;

    @TempDir
    Path dir;

    @BeforeEach
    void sandbox() {
        manifest = dir.resolve("shop-app.yaml");
        Terminal.Run init = t.run("init", "--sandbox", "--app-manifest", manifest.toString());
        assertThat(init.exit()).as(init.toString()).isZero();
        sandboxApp = ManifestReader.read(read(manifest)).subjects().stream()
                .map(s -> ((Subject.OfApp) s).app()).findFirst().orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        t.close();
    }

    @Test
    void applyRefusesEveryMissingReferenceWithItsFieldPathAndWritesNothing() throws Exception {
        String listener = sandboxApp.spec().router().listenerArn();
        String missingListener = listener.substring(0, listener.lastIndexOf('/') + 1) + "0123456789abcdef";
        String subnet1 = sandboxApp.spec().platform().subnets().get(1);
        String group0 = sandboxApp.spec().platform().securityGroups().getFirst();
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, read(manifest).replace(listener, missingListener)
                .replace("cluster: skewless-sandbox", "cluster: no-such-cluster")
                .replace(subnet1, MISSING_SUBNET).replace(group0, MISSING_GROUP)
                .replace("role/skewless-sandbox-task-execution", "role/no-such-role"));

        Terminal.Run refused = t.run("apply", "-f", broken.toString(), "-f", CliFixtures.V1);

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("5 problems; nothing was applied")
                .contains("spec.router.listenerArn: listener " + missingListener + " does not exist")
                .contains("spec.platform.cluster: ECS cluster no-such-cluster does not exist")
                .contains("spec.platform.subnets[1]: subnet " + MISSING_SUBNET + " does not exist")
                .contains("spec.platform.securityGroups[0]: security group " + MISSING_GROUP + " does not exist")
                .contains("spec.platform.executionRoleArn: IAM role no-such-role does not exist");
        assertThat(refused.err().lines().filter(l -> l.contains("spec.platform.subnets[0]"))).as("the existing subnet is fine").isEmpty();
        assertThat(t.store.getApp("shop")).as("nothing written").isEmpty();

        Terminal.Run offline = t.run("apply", "--no-verify", "-f", broken.toString(), "-f", CliFixtures.V1);
        assertThat(offline.exit()).as(offline.toString()).isZero();
        assertThat(t.store.getApp("shop")).isPresent();
    }

    @Test
    void theSandboxAppPassesTheCheck() {
        Terminal.Run apply = t.run("apply", "-f", manifest.toString(), "-f", CliFixtures.V1);
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(apply.err()).doesNotContain("warning");
    }

    @Test
    void aListenerDeletedAfterApplyIsTerminalOnAppAndVersionsWithinOnePass() {
        assertThat(t.run("apply", "-f", manifest.toString(), "-f", CliFixtures.V1).exit()).isZero();
        AppReconciler controller = controller();
        assertThat(controller.reconcile("shop").outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);

        try (ElasticLoadBalancingV2Client elb = clients().elbv2()) {
            elb.deleteListener(b -> b.listenerArn(sandboxApp.spec().router().listenerArn()));
        }
        PassResult pass = controller.reconcile("shop");

        assertThat(pass.outcome()).isEqualTo(PassResult.Outcome.INVALID);
        assertTerminal("spec.router.listenerArn", "ListenerNotFound");
        assertThat(decisions).anyMatch(d -> "invalid".equals(d.outcome()) && d.message().contains("spec.router.listenerArn"));
        assertThat(registry.get("skewless.reconcile.duration").tags("app", "shop", "outcome", "invalid").timer().count()).isEqualTo(1);

        Terminal.Run wait = t.run("wait", "shop", "v1", "--for", "phase=Live", "--timeout", "10m", "--interval", "1s");
        assertThat(wait.exit()).as(wait.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(wait.err()).contains("Terminal (InvalidReference)").contains("spec.router.listenerArn")
                .contains("Fix in App shop");

        Terminal.Run describe = t.run("describe", "shop", "v1");
        assertThat(describe.out()).contains("Fix in App shop: spec.router.listenerArn: listener").doesNotContain("Wait until it is Ready");
    }

    @Test
    void aMissingClusterFoundWhenTheServiceIsCreatedIsTerminal() throws Exception {
        // moto keeps a deleted cluster INACTIVE and creates services in it (MOTO_GAPS.md), so the
        // cluster here never existed: accepted with --no-verify, found by the controller.
        foundWhenTheServiceIsCreated(m -> m.replace("cluster: skewless-sandbox", "cluster: no-such-cluster"), "spec.platform.cluster",
                "ClusterNotFoundException");
    }

    @Test
    void aMissingSubnetFoundWhenTheServiceIsCreatedIsTerminal() throws Exception {
        // One subnet, the missing one: with two, moto's message may name the other (MOTO_GAPS.md).
        List<String> subnets = sandboxApp.spec().platform().subnets();
        foundWhenTheServiceIsCreated(m -> m.replace(subnets.get(0), MISSING_SUBNET).replaceAll("(?m)^\\s*- " + subnets.get(1) + "\\R", ""),
                "spec.platform.subnets[0]", "InvalidParameterException");
    }

    @Test
    void aMissingSecurityGroupFoundWhenTheServiceIsCreatedIsTerminal() throws Exception {
        foundWhenTheServiceIsCreated(m -> m.replace(sandboxApp.spec().platform().securityGroups().getFirst(), MISSING_GROUP),
                "spec.platform.securityGroups[0]", "InvalidParameterException");
    }

    /** Applies the sandbox App as {@code edit} changes it (unchecked), then passes until CreateService answers. */
    private void foundWhenTheServiceIsCreated(UnaryOperator<String> edit, String field, String code) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        String text = edit.apply(read(manifest));
        assertThat(text).isNotEqualTo(read(manifest));
        Files.writeString(broken, text);
        assertThat(t.run("apply", "--no-verify", "-f", broken.toString(), "-f", CliFixtures.V1).exit()).isZero();
        AppReconciler controller = controller();
        PassResult last = null;
        for (int i = 0; i < 10 && (last == null || last.outcome() == PassResult.Outcome.SUCCEEDED); i++) {
            last = controller.reconcile("shop");
            t.clock.advance(Duration.ofSeconds(10));
        }

        assertThat(last.outcome()).as(String.valueOf(last)).isEqualTo(PassResult.Outcome.INVALID);
        assertTerminal(field, code);
        assertThat(decisions).anyMatch(d -> "invalid".equals(d.outcome()) && "CreateService".equals(d.action())
                && "v1".equals(d.version()));
        assertThat(registry.get("skewless.reconcile.duration").tags("app", "shop", "outcome", "invalid").timer().count()).isEqualTo(1);
        Terminal.Run wait = t.run("wait", "shop", "v1", "--for", "phase=Ready", "--timeout", "10m");
        assertThat(wait.exit()).as(wait.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(wait.err()).contains("Terminal (InvalidReference): " + field);

        // The next pass (the resync) finds the same and writes nothing new: no loop of status writes.
        PassResult again = controller.reconcile("shop");
        assertThat(again.outcome()).isEqualTo(PassResult.Outcome.INVALID);
        assertThat(again.statusWrites()).isZero();
    }

    private void assertTerminal(String field, String code) {
        App app = t.store.getApp("shop").orElseThrow();
        AppVersion v1 = t.store.getVersion(new VersionKey("shop", "v1")).orElseThrow();
        for (List<Condition> conditions : List.of(app.status().conditions(), v1.status().conditions())) {
            Condition synced = Conditions.find(conditions, Condition.SYNCED).orElseThrow();
            assertThat(synced.status()).isEqualTo(ConditionStatus.False);
            assertThat(synced.reason()).isEqualTo("InvalidReference");
            Condition terminal = Conditions.find(conditions, Condition.TERMINAL).orElseThrow();
            assertThat(terminal.status()).isEqualTo(ConditionStatus.True);
            assertThat(terminal.reason()).isEqualTo("InvalidReference");
            assertThat(terminal.message()).contains(field).contains(code);
        }
        assertThat(v1.status().message()).startsWith("Invalid reference: " + field);
    }

    private AwsClientFactory clients() {
        AwsClientFactory clients = new AwsClientFactory(MotoAccount.settings(MotoServer.shared().endpoint()),
                new AwsCallMetrics(new SimpleMeterRegistry()));
        closing.add(clients);
        return clients;
    }

    private AppReconciler controller() {
        AwsClientFactory clients = clients();
        EcsClient ecs = clients.ecs();
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        closing.add(ecs);
        closing.add(elb);
        StatusFeed feed = new StatusFeed(t.store, Duration.ofMinutes(5));
        SoleLeaderLease lease = new SoleLeaderLease("test");
        closing.add(feed);
        closing.add(lease::close);
        ControllerMetrics metrics = new ControllerMetrics(registry, feed, () -> null, lease);
        ReconcileObserver observer = new ReconcileObserver() {
            @Override
            public void decided(Decision decision) {
                decisions.add(decision);
                metrics.decided(decision);
            }

            @Override
            public void passFinished(String app, Duration took, PassResult result, dev.skewless.plan.Plan plan) {
                metrics.passFinished(app, took, result, plan);
            }
        };
        return new AppReconciler(t.store, new EcsComputePlatform(ecs, clients.applicationAutoScaling(), null),
                new AlbTrafficRouter(elb, null, OwnershipTags.DEFAULT_OWNER, t.clock, Duration.ofMinutes(5)),
                new Planner(PlannerConfig.DEFAULT)::plan, t.clock, () -> true, observer);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
