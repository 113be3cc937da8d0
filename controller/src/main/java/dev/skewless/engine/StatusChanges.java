package dev.skewless.engine;

import dev.skewless.model.Condition;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What differs between a stored status and the one about to be written, for the write's log line:
 * two writes in a row say the same phase and message more often than not (a repair goes
 * {@code Synced=False} then back to {@code True}), and a line that did not say what changed read
 * like the same status written twice. {@code lastReconcileTime} is the write's own stamp, never a
 * change.
 */
final class StatusChanges {
    private static final String STAMP = "lastReconcileTime";

    private StatusChanges() {}

    /**
     * The changed fields of two statuses of the same record type, conditions by type with their
     * transition ({@code Synced False->True}); "new" when nothing was stored.
     */
    static String between(Record stored, Record next) {
        if (stored == null) {
            return "new";
        }
        List<String> changed = new ArrayList<>();
        for (RecordComponent c : next.getClass().getRecordComponents()) {
            if (c.getName().equals(STAMP)) {
                continue;
            }
            Object before = value(c, stored);
            Object after = value(c, next);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (c.getName().equals("conditions")) {
                changed.addAll(conditions(conditionList(before), conditionList(after)));
            } else {
                changed.add(c.getName());
            }
        }
        return changed.isEmpty() ? "nothing" : String.join(", ", changed);
    }

    private static List<String> conditions(List<Condition> before, List<Condition> after) {
        Set<String> types = new LinkedHashSet<>();
        before.forEach(c -> types.add(c.type()));
        after.forEach(c -> types.add(c.type()));
        List<String> out = new ArrayList<>();
        for (String type : types) {
            Optional<Condition> b = before.stream().filter(c -> c.type().equals(type)).findFirst();
            Optional<Condition> a = after.stream().filter(c -> c.type().equals(type)).findFirst();
            if (b.equals(a)) {
                continue;
            }
            String from = b.map(c -> c.status().name()).orElse("absent");
            String to = a.map(c -> c.status().name()).orElse("absent");
            out.add(type + " " + (from.equals(to) ? to + " (" + a.map(Condition::reason).orElse("") + ")" : from + "->" + to));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Condition> conditionList(Object value) {
        return value == null ? List.of() : (List<Condition>) value;
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
