package dev.skewless.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the controller reports about one version. Written only by the controller, separately from
 * the spec, so a release manager's edit and a status write never overwrite each other.
 *
 * @param phase              lifecycle phase
 * @param conditions         ACK-style conditions ({@link Condition#SYNCED}, ...)
 * @param observedGeneration the spec generation this status describes
 * @param resources          ARNs of the AWS resources the version owns
 * @param rulePriorities     listener rule priorities holding this version's pin rules
 * @param runningCount       running tasks last observed
 * @param desiredCount       tasks the controller asked for (lower once superseded)
 * @param readyAt            when the version first became routable; null before
 * @param supersededAt       when it stopped being live (or was passed by a newer live version)
 * @param expiresAt          when its retention window ends (null while live or not yet superseded)
 * @param drainingSince      when its rules were removed
 * @param expiryReason       why it left service: Retention, Idle, MaxVersions, Revoked, Deleted (its
 *                           record is being deleted) or AppDeleted (its App is); else null
 * @param lastReconcileTime  the pass that last changed this status (unchanged statuses are not
 *                           rewritten, so it can be days old)
 * @param message            a sentence for people about the current state
 */
public record AppVersionStatus(
        Phase phase,
        List<Condition> conditions,
        long observedGeneration,
        VersionResources resources,
        List<Integer> rulePriorities,
        int runningCount,
        int desiredCount,
        Instant readyAt,
        Instant supersededAt,
        Instant expiresAt,
        Instant drainingSince,
        String expiryReason,
        Instant lastReconcileTime,
        String message) {

    /** Status of a version the controller has not looked at yet. */
    public static final AppVersionStatus PENDING = new AppVersionStatus(
            Phase.Pending, List.of(), 0, VersionResources.NONE, List.of(), 0, 0, null, null, null, null, null, null, "");

    public AppVersionStatus {
        Objects.requireNonNull(phase, "phase");
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        resources = resources == null ? VersionResources.NONE : resources;
        rulePriorities = rulePriorities == null ? List.of() : List.copyOf(rulePriorities);
        message = message == null ? "" : message;
    }

    /** A builder seeded with this status, for the planner's copy-with-changes. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder; {@link #build()} returns an immutable status. */
    public static final class Builder {
        private Phase phase;
        private List<Condition> conditions;
        private long observedGeneration;
        private VersionResources resources;
        private List<Integer> rulePriorities;
        private int runningCount;
        private int desiredCount;
        private Instant readyAt;
        private Instant supersededAt;
        private Instant expiresAt;
        private Instant drainingSince;
        private String expiryReason;
        private Instant lastReconcileTime;
        private String message;

        private Builder(AppVersionStatus s) {
            phase = s.phase;
            conditions = s.conditions;
            observedGeneration = s.observedGeneration;
            resources = s.resources;
            rulePriorities = s.rulePriorities;
            runningCount = s.runningCount;
            desiredCount = s.desiredCount;
            readyAt = s.readyAt;
            supersededAt = s.supersededAt;
            expiresAt = s.expiresAt;
            drainingSince = s.drainingSince;
            expiryReason = s.expiryReason;
            lastReconcileTime = s.lastReconcileTime;
            message = s.message;
        }

        public Builder phase(Phase v) { phase = v; return this; }
        public Builder conditions(List<Condition> v) { conditions = v; return this; }
        public Builder observedGeneration(long v) { observedGeneration = v; return this; }
        public Builder resources(VersionResources v) { resources = v; return this; }
        public Builder rulePriorities(List<Integer> v) { rulePriorities = v; return this; }
        public Builder runningCount(int v) { runningCount = v; return this; }
        public Builder desiredCount(int v) { desiredCount = v; return this; }
        public Builder readyAt(Instant v) { readyAt = v; return this; }
        public Builder supersededAt(Instant v) { supersededAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder drainingSince(Instant v) { drainingSince = v; return this; }
        public Builder expiryReason(String v) { expiryReason = v; return this; }
        public Builder lastReconcileTime(Instant v) { lastReconcileTime = v; return this; }
        public Builder message(String v) { message = v; return this; }

        public Phase phase() { return phase; }
        public List<Condition> conditions() { return conditions; }

        public AppVersionStatus build() {
            return new AppVersionStatus(phase, conditions, observedGeneration, resources, rulePriorities, runningCount,
                    desiredCount, readyAt, supersededAt, expiresAt, drainingSince, expiryReason, lastReconcileTime, message);
        }
    }
}
