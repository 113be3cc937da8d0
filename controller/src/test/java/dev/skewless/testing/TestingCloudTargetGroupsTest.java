package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedTargetGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestingCloudTargetGroupsTest extends TestingCloudCase {
    @Test
    void namesAreAtMost32LettersDigitsAndInnerHyphens() {
        for (String bad : List.of("a".repeat(33), "has_underscore", "-leading", "trailing-", "dot.ted", "")) {
            assertFails(() -> router.createTargetGroup(tgSpec(bad, 80, ours(V1))), Kind.INVALID, "ValidationError");
        }
        router.createTargetGroup(tgSpec("a".repeat(32), 80, ours(V1)));
        router.createTargetGroup(tgSpec(ResourceNames.targetGroup(new VersionKey("a-very-long-app-name", "v1.2_3")), 80, ours(V1)));
    }

    @Test
    void creatingAnIdenticalGroupReturnsTheExistingOneADifferentOneConflicts() {
        String first = router.createTargetGroup(tgSpec(V1));
        assertThat(router.createTargetGroup(tgSpec(V1))).isEqualTo(first);

        assertFails(() -> router.createTargetGroup(tgSpec(ResourceNames.targetGroup(V1), 9090, ours(V1))),
                Kind.CONFLICT, "DuplicateTargetGroupName");
        assertThat(cloud.resources().targetGroups()).hasSize(1);
    }

    @Test
    void aGroupInUseCannotBeDeletedAMissingOneDeletesQuietly() {
        String tg = targetGroup(V1);
        String r = router.createRule(LISTENER, 10, rule("v1", AlbAction.Forward.to(tg)), ours(V1));
        assertFails(() -> router.deleteTargetGroup(tg), Kind.CONFLICT, "ResourceInUse");

        router.deleteRule(r);
        router.setDefaultAction(OTHER_LISTENER, AlbAction.Forward.to(tg));
        assertFails(() -> router.deleteTargetGroup(tg), Kind.CONFLICT, "ResourceInUse");

        router.setDefaultAction(OTHER_LISTENER, NOT_FOUND_404);
        router.deleteTargetGroup(tg);
        router.deleteTargetGroup(tg);
        assertThat(cloud.resources().targetGroups()).isEmpty();
    }

    @Test
    void updateChangesHealthCheckAndDelayButNotPortAndMissingIsNotFound() {
        String tg = targetGroup(V1);
        HealthCheckSpec check = new HealthCheckSpec("/ready", Duration.ofSeconds(10), Duration.ofSeconds(3), 3, 3, "200-299");
        router.updateTargetGroup(tg, new TargetGroupSpec(ResourceNames.targetGroup(V1), 9999, null, LISTENER, check,
                Duration.ofSeconds(5), ours(V1)));

        ObservedTargetGroup listed = router.observe(app("shop")).targetGroups().getFirst();
        assertThat(listed.healthCheck()).isEqualTo(check);
        assertThat(listed.deregistrationDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(listed.port()).isEqualTo(8080);
        assertFails(() -> router.updateTargetGroup("arn:missing", tgSpec(V1)), Kind.NOT_FOUND, "TargetGroupNotFound");
    }
}
