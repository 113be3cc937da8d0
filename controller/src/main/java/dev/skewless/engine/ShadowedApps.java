package dev.skewless.engine;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.validation.AppShadowing;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Apps written before {@code apply} refused overlaps (or around it) can still shadow each other.
 * The App evaluated later gets {@code Shadowed=True} naming the App that takes its requests, and
 * its status message says so (what {@code get} shows); its rules are planned as before, since
 * deleting them could only lose traffic that some spec change would have brought back. The
 * condition goes away once the overlap does (decision 032).
 */
final class ShadowedApps {
    /** Reason of {@code Shadowed=True}. */
    static final String REASON = "ShadowedByApp";

    private ShadowedApps() {}

    /** How {@code app} is shadowed by the other Apps of {@code all}, if it is. */
    static Optional<String> shadowing(App app, List<App> all) {
        List<String> summaries = all.stream().map(other -> AppShadowing.between(app, other))
                .flatMap(Optional::stream).filter(s -> s.shadowed().name().equals(app.name()))
                .map(AppShadowing.Shadow::summary).toList();
        return summaries.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", summaries));
    }

    /** {@code next} with the {@code Shadowed} condition and message set from {@code shadowing}, or the condition removed. */
    static AppStatus mark(AppStatus next, Optional<String> shadowing, Instant now) {
        List<Condition> conditions = shadowing.isPresent()
                ? Conditions.set(next.conditions(), Condition.SHADOWED, ConditionStatus.True, REASON,
                        shadowing.get() + ". Give it a priority range below the other App's, or patterns the other App does not include",
                        now)
                : Conditions.remove(next.conditions(), Condition.SHADOWED);
        String message = shadowing.isPresent() ? "Shadowed: " + shadowing.get() + ". " + next.message() : next.message();
        return new AppStatus(next.observedGeneration(), next.liveVersion(), next.canaryVersion(), next.canaryWeight(), conditions,
                next.lastReconcileTime(), message);
    }
}
