package dev.skewless.operator;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Kubernetes Events a status change is worth: one per transition (a phase reached, a version
 * released, a sync that started failing), never one per pass. Pure: the writer of the status
 * ({@link CachedRecords}) compares the status it replaces with the one it writes and records what
 * this returns. Drift repairs are not status changes; {@link AppResourceReconciler} records them
 * from the engine's decisions.
 */
final class RecordEvents {
    /** Reason of the event when a Pending version is admitted (its resources are being created). */
    static final String ADMITTED = "Admitted";
    /** Reason of the event when a version expired (retention window or idle). */
    static final String EXPIRED = "Expired";
    /** Reason of the event when an App's live version changed. */
    static final String RELEASED = "Released";
    /** Reason of the warning when a record's {@code Synced} condition turned False. */
    static final String SYNC_FAILED = "SyncFailed";
    /** Reason of the event when a repair of drift was carried out. */
    static final String DRIFT_REPAIRED = "DriftRepaired";
    /** Reason of the warning when a record does not bind or validate. */
    static final String INVALID = "Invalid";

    private RecordEvents() {}

    /**
     * One event.
     *
     * @param warning Warning rather than Normal
     * @param reason  short CamelCase, what {@code kubectl get events} shows
     * @param message a sentence for people
     */
    record Note(boolean warning, String reason, String message) {
        Note {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        String type() {
            return warning ? "Warning" : "Normal";
        }
    }

    /** Events for a version whose status goes from {@code before} (null for none yet) to {@code after}. */
    static List<Note> forVersion(String version, AppVersionStatus before, AppVersionStatus after) {
        AppVersionStatus was = before == null ? AppVersionStatus.PENDING : before;
        List<Note> notes = new ArrayList<>();
        if (was.phase() != after.phase()) {
            String detail = after.message().isBlank() ? "" : ": " + after.message();
            if (was.phase() == Phase.Pending && after.phase() == Phase.Provisioning) {
                notes.add(new Note(false, ADMITTED, "version " + version + " admitted; provisioning" + detail));
            } else if (after.phase() != Phase.Pending) {
                notes.add(new Note(after.phase() == Phase.Failed, after.phase().name(),
                        "version " + version + " is " + after.phase() + " (was " + was.phase() + ")" + detail));
            }
        }
        if (was.expiryReason() == null && after.expiryReason() != null) {
            notes.add(new Note(false, EXPIRED, "version " + version + " expired (" + after.expiryReason() + ")"));
        }
        syncFailed(was.conditions(), after.conditions()).ifPresent(notes::add);
        return List.copyOf(notes);
    }

    /** Events for an App whose status goes from {@code before} (null for none yet) to {@code after}. */
    static List<Note> forApp(String app, AppStatus before, AppStatus after) {
        List<Note> notes = new ArrayList<>();
        String wasLive = before == null ? null : before.liveVersion();
        if (after.liveVersion() != null && !after.liveVersion().equals(wasLive)) {
            notes.add(new Note(false, RELEASED, "version " + after.liveVersion() + " of App " + app + " is live"
                    + (wasLive == null ? "" : " (was " + wasLive + ")")));
        }
        List<Condition> was = before == null ? List.of() : before.conditions();
        syncFailed(was, after.conditions()).ifPresent(notes::add);
        boolean wasShadowed = Conditions.find(was, Condition.SHADOWED).filter(Condition::isTrue).isPresent();
        Conditions.find(after.conditions(), Condition.SHADOWED).filter(c -> c.isTrue() && !wasShadowed)
                .ifPresent(c -> notes.add(new Note(true, Condition.SHADOWED, c.message())));
        return List.copyOf(notes);
    }

    /** A warning when {@code Synced} turned False, or stayed False for another reason. */
    private static Optional<Note> syncFailed(List<Condition> before, List<Condition> after) {
        Optional<Condition> now = Conditions.find(after, Condition.SYNCED).filter(c -> c.status() == ConditionStatus.False);
        if (now.isEmpty()) {
            return Optional.empty();
        }
        Optional<Condition> was = Conditions.find(before, Condition.SYNCED).filter(c -> c.status() == ConditionStatus.False);
        if (was.isPresent() && was.get().reason().equals(now.get().reason())) {
            return Optional.empty();
        }
        return Optional.of(new Note(true, SYNC_FAILED, now.get().reason() + ": " + now.get().message()));
    }
}
