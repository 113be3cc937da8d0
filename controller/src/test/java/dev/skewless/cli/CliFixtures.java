package dev.skewless.cli;

import static dev.skewless.cli.Terminal.repoFile;

import dev.skewless.model.AppStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionResources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Records in a known state, as the controller would have left them: written through the real
 * commands ({@code apply}) and the store's status writes, at fixed times.
 */
final class CliFixtures {
    static final String APP = repoFile("manifests/examples/shop-app.yaml");
    static final String V1 = repoFile("manifests/examples/shop-v1.yaml");
    static final String V2 = repoFile("manifests/examples/shop-v2.yaml");
    static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:";

    private CliFixtures() {}

    /**
     * shop: v1 released at 09:00 and superseded at 11:00 by v2 (Live), v3 applied at 11:30 and
     * Provisioning; "now" is 12:00.
     */
    static void shopWithThreeVersions(Terminal t) {
        Instant start = Terminal.START;
        apply(t, "apply", "--no-verify", "-f", APP, "-f", V1);
        t.clock.set(start.plus(Duration.ofHours(2)));
        apply(t, "apply", "--no-verify", "-f", V2);
        t.clock.set(start.plus(Duration.ofMinutes(150)));
        apply(t, "apply", "--no-verify", "-f", "-");
        t.clock.set(start.plus(Duration.ofHours(3)));
    }

    /** Writes the statuses {@link #shopWithThreeVersions} describes. */
    static void statuses(Terminal t) {
        Instant start = Terminal.START;
        Instant v1Ready = start.plus(Duration.ofMinutes(4));
        Instant v2Ready = start.plus(Duration.ofMinutes(124));
        Instant v3Seen = start.plus(Duration.ofMinutes(151));
        Instant last = start.plus(Duration.ofMinutes(179));
        t.status("shop", "v1", b -> b.phase(Phase.Superseded).observedGeneration(1).runningCount(1).desiredCount(1)
                .readyAt(v1Ready).supersededAt(v2Ready).expiresAt(v2Ready.plus(Duration.ofHours(24))).lastReconcileTime(last)
                .conditions(List.of(synced(v2Ready), ready(v1Ready)))
                .resources(resources("v1")).rulePriorities(List.of(1004, 1005))
                .message("Superseded by v2; pinned requests reach it until 2026-03-03T11:04:00Z"));
        t.status("shop", "v2", b -> b.phase(Phase.Live).observedGeneration(1).runningCount(2).desiredCount(2)
                .readyAt(v2Ready).lastReconcileTime(last)
                .conditions(List.of(synced(v2Ready), ready(v2Ready)))
                .resources(resources("v2")).rulePriorities(List.of(1001, 1002, 1003))
                .message("Live: serves unpinned traffic and its pins"));
        t.status("shop", "v3", b -> b.phase(Phase.Provisioning).observedGeneration(1).runningCount(1).desiredCount(2)
                .lastReconcileTime(last)
                .conditions(List.of(new Condition(Condition.SYNCED, ConditionStatus.False, "Provisioning", "Waiting for healthy tasks", v3Seen),
                        new Condition(Condition.READY, ConditionStatus.False, "WaitingForHealthyTasks", "1 of 2 tasks healthy", v3Seen)))
                .resources(new VersionResources(ARN + "targetgroup/skw-shop-v3-1a2b3c/0000000000000003", null, null, List.of()))
                .message("Waiting for healthy tasks"));
        t.store.writeAppStatus("shop", new AppStatus(1, "v2", null, 0, List.of(synced(v2Ready)), last, "v2 is live; 3 versions retained"));
    }

    static String v3Manifest() {
        return """
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: v3}
                spec:
                  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:v3
                  cpu: 512
                  memory: 1024
                  desiredCount: 2
                  containerPort: 8080
                """;
    }

    private static void apply(Terminal t, String... args) {
        Terminal.Run r = args[args.length - 1].equals("-") ? t.runWithInput(v3Manifest(), args) : t.run(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("fixture apply failed: " + r);
        }
    }

    static Condition synced(Instant since) {
        return new Condition(Condition.SYNCED, ConditionStatus.True, "Synced", "AWS matches the record", since);
    }

    static Condition ready(Instant since) {
        return new Condition(Condition.READY, ConditionStatus.True, "Routable", "healthy, and pinned requests reach it", since);
    }

    static VersionResources resources(String v) {
        return new VersionResources(ARN + "targetgroup/skw-shop-" + v + "-1a2b3c/000000000000000" + v.substring(1),
                "arn:aws:ecs:eu-west-1:123456789012:service/skewless-demo/skw-shop-" + v,
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/skw-shop-" + v + ":1",
                List.of(ARN + "listener-rule/app/skewless-demo/50dc6c495c0c9188/f2f7dc8efc522ab2/" + v + "a",
                        ARN + "listener-rule/app/skewless-demo/50dc6c495c0c9188/f2f7dc8efc522ab2/" + v + "b"));
    }
}
