package dev.skewless.plan;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Working state of one version during one planner pass (mutable, never leaves the pass). */
final class VersionPlan {
    /** What the pass decided a version is, before phases are named. */
    enum Category { PENDING, PROVISIONING, ROUTABLE, FAILED, DRAINING, RETIRED }

    final AppVersion record;
    final AppVersionStatus prev;
    Category category;
    boolean newlyRoutable;
    Instant supersededAt;
    Instant expiresAt;
    Instant nextCheck;
    String expiryReason;
    Instant drainingSince;
    int want = -1;
    boolean drained;
    String busy;
    Blocker failure;
    Blocker capacityProblem;
    final List<Integer> priorities = new ArrayList<>();

    VersionPlan(AppVersion record) {
        this.record = record;
        this.prev = record.status();
        this.supersededAt = prev.supersededAt();
        this.expiresAt = prev.expiresAt();
        this.expiryReason = prev.expiryReason();
        this.drainingSince = prev.drainingSince();
    }

    String id() {
        return record.id();
    }

    void busy(String why) {
        if (busy == null) {
            busy = why;
        }
    }
}
