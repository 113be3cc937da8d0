package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One Kubernetes Event per transition of a record's status, none for a status written again. */
class RecordEventsTest {
    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

    private static AppVersionStatus phase(Phase p) {
        return AppVersionStatus.PENDING.toBuilder().phase(p).build();
    }

    private static List<String> reasons(List<RecordEvents.Note> notes) {
        return notes.stream().map(RecordEvents.Note::reason).toList();
    }

    @Test
    void aVersionsLifeIsOneEventPerPhaseReached() {
        assertThat(reasons(RecordEvents.forVersion("v1", null, phase(Phase.Provisioning)))).containsExactly("Admitted");
        assertThat(reasons(RecordEvents.forVersion("v1", phase(Phase.Provisioning), phase(Phase.Live)))).containsExactly("Live");
        assertThat(reasons(RecordEvents.forVersion("v1", phase(Phase.Live), phase(Phase.Superseded)))).containsExactly("Superseded");
        assertThat(reasons(RecordEvents.forVersion("v1", phase(Phase.Draining), phase(Phase.Retired)))).containsExactly("Retired");
        assertThat(RecordEvents.forVersion("v1", phase(Phase.Provisioning), phase(Phase.Failed)).getFirst().warning()).isTrue();
        assertThat(RecordEvents.forVersion("v1", phase(Phase.Live), phase(Phase.Live))).as("same phase written again").isEmpty();
    }

    @Test
    void expiryIsAnEventOnce() {
        AppVersionStatus expired = phase(Phase.Draining).toBuilder().expiryReason("Idle").build();
        assertThat(reasons(RecordEvents.forVersion("v1", phase(Phase.Superseded), expired))).containsExactly("Draining", "Expired");
        assertThat(RecordEvents.forVersion("v1", expired, expired)).isEmpty();
    }

    @Test
    void aSyncFailureWarnsWhenItStartsOrChangesReasonNotOnEveryPass() {
        AppVersionStatus ok = phase(Phase.Live).toBuilder()
                .conditions(Conditions.set(List.of(), Condition.SYNCED, ConditionStatus.True, "Synced", "", T)).build();
        AppVersionStatus throttled = ok.toBuilder()
                .conditions(Conditions.set(List.of(), Condition.SYNCED, ConditionStatus.False, "Throttling", "slow down", T)).build();
        AppVersionStatus denied = ok.toBuilder()
                .conditions(Conditions.set(List.of(), Condition.SYNCED, ConditionStatus.False, "AccessDenied", "no", T)).build();
        RecordEvents.Note note = RecordEvents.forVersion("v1", ok, throttled).getFirst();
        assertThat(note.warning()).isTrue();
        assertThat(note.reason()).isEqualTo(RecordEvents.SYNC_FAILED);
        assertThat(note.message()).isEqualTo("Throttling: slow down");
        assertThat(RecordEvents.forVersion("v1", throttled, throttled)).isEmpty();
        assertThat(reasons(RecordEvents.forVersion("v1", throttled, denied))).containsExactly(RecordEvents.SYNC_FAILED);
    }

    @Test
    void anAppReleasesOncePerNewLiveVersion() {
        AppStatus none = AppStatus.EMPTY;
        AppStatus v1 = new AppStatus(1, "v1", null, 0, List.of(), null, "");
        AppStatus v2 = new AppStatus(1, "v2", null, 0, List.of(), null, "");
        assertThat(RecordEvents.forApp("shop", none, v1)).singleElement()
                .satisfies(n -> assertThat(n.message()).isEqualTo("version v1 of App shop is live"));
        assertThat(RecordEvents.forApp("shop", v1, v1)).isEmpty();
        assertThat(RecordEvents.forApp("shop", v1, v2)).singleElement()
                .satisfies(n -> assertThat(n.message()).isEqualTo("version v2 of App shop is live (was v1)"));
    }
}
