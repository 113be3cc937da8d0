package dev.skewless.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small pure functions over condition lists: lookup, and set-with-transition-time. */
public final class Conditions {
    private Conditions() {}

    /** The condition of {@code type}, if present. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /**
     * Returns {@code conditions} with {@code type} set to the given values. The transition time is
     * kept when the status did not change, so dashboards show how long a condition has held.
     */
    public static List<Condition> set(
            List<Condition> conditions, String type, ConditionStatus status, String reason, String message, Instant now) {
        List<Condition> out = new ArrayList<>(conditions.size() + 1);
        boolean found = false;
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                Instant since = c.status() == status && c.lastTransitionTime() != null ? c.lastTransitionTime() : now;
                out.add(new Condition(type, status, reason, message, since));
                found = true;
            } else {
                out.add(c);
            }
        }
        if (!found) {
            out.add(new Condition(type, status, reason, message, now));
        }
        return List.copyOf(out);
    }

    /** Returns {@code conditions} without {@code type}. */
    public static List<Condition> remove(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> !c.type().equals(type)).toList();
    }
}
