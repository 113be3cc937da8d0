package dev.skewless.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.RetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final RetentionSpec SPEC =
            new RetentionSpec(Duration.ofHours(24), Duration.ofHours(1), Duration.ofDays(3), Duration.ofHours(2), 10);

    @Test
    void expiresAtTheEndOfTheDefaultWindow() {
        var before = RetentionPolicy.evaluate(SPEC, null, T0, Optional.empty(), T0.plus(Duration.ofHours(23)));
        assertThat(before.expired()).isFalse();
        assertThat(before.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        var after = RetentionPolicy.evaluate(SPEC, null, T0, Optional.empty(), T0.plus(Duration.ofHours(24)));
        assertThat(after.expired()).isTrue();
        assertThat(after.reason()).isEqualTo(RetentionPolicy.REASON_RETENTION);
    }

    @Test
    void aPerVersionOverrideIsClampedToMinAndMax() {
        assertThat(RetentionPolicy.evaluate(SPEC, Duration.ofDays(30), T0, Optional.empty(), T0).expiresAt())
                .isEqualTo(T0.plus(Duration.ofDays(3)));
        assertThat(RetentionPolicy.evaluate(SPEC, Duration.ofMinutes(1), T0, Optional.empty(), T0).expiresAt())
                .isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void idleVersionsExpireEarlyButNeverBeforeMin() {
        // No request since supersession: idle for 2h would be T0+2h, which is after min (1h).
        var v = RetentionPolicy.evaluate(SPEC, null, T0, Optional.of(T0), T0.plus(Duration.ofHours(2)));
        assertThat(v.expired()).isTrue();
        assertThat(v.reason()).isEqualTo(RetentionPolicy.REASON_IDLE);
        // Idle long before supersession: still kept until min.
        var early = RetentionPolicy.evaluate(SPEC, null, T0, Optional.of(T0.minus(Duration.ofDays(1))), T0.plus(Duration.ofMinutes(59)));
        assertThat(early.expired()).isFalse();
        assertThat(early.nextCheck()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void trafficKeepsAVersionAliveUntilTheWindowEnds() {
        Instant lastRequest = T0.plus(Duration.ofHours(23));
        var v = RetentionPolicy.evaluate(SPEC, null, T0, Optional.of(lastRequest), T0.plus(Duration.ofHours(23)).plusSeconds(60));
        assertThat(v.expired()).isFalse();
        assertThat(v.nextCheck()).isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void unknownTrafficDisablesIdleExpiry() {
        var v = RetentionPolicy.evaluate(SPEC, null, T0, Optional.empty(), T0.plus(Duration.ofHours(5)));
        assertThat(v.expired()).isFalse();
    }
}
