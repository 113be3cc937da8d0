package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {

    @Property
    void ceilingDoublesUntilTheCap(@ForAll @IntRange(min = 0, max = 200) int failures,
            @ForAll @LongRange(min = 1, max = 10_000) long baseMillis, @ForAll @IntRange(min = 1, max = 1_000) int capFactor) {
        Duration base = Duration.ofMillis(baseMillis);
        Duration cap = base.multipliedBy(capFactor);
        Backoff backoff = new Backoff(base, cap, Backoff.Jitter.NONE);

        Duration ceiling = backoff.ceiling(failures);

        assertThat(ceiling).isLessThanOrEqualTo(cap).isGreaterThanOrEqualTo(base);
        if (failures < 62 && base.toNanos() <= (cap.toNanos() >> failures)) {
            assertThat(ceiling).isEqualTo(Duration.ofNanos(base.toNanos() << failures));
        } else {
            assertThat(ceiling).isEqualTo(cap);
        }
        assertThat(backoff.ceiling(failures + 1)).isGreaterThanOrEqualTo(ceiling);
    }

    @Property
    void jitteredDelaysStayWithinTheirBounds(@ForAll @IntRange(min = 0, max = 40) int failures, @ForAll long seed) {
        Duration base = Duration.ofMillis(100);
        Duration cap = Duration.ofSeconds(30);
        SplittableRandom random = new SplittableRandom(seed);
        Duration ceiling = new Backoff(base, cap, Backoff.Jitter.NONE).ceiling(failures);

        Duration full = new Backoff(base, cap, Backoff.Jitter.FULL).delay(failures, random);
        Duration equal = new Backoff(base, cap, Backoff.Jitter.EQUAL).delay(failures, random);
        Duration none = new Backoff(base, cap, Backoff.Jitter.NONE).delay(failures, random);

        assertThat(full).isBetween(Duration.ZERO, ceiling);
        assertThat(equal).isBetween(ceiling.dividedBy(2), ceiling);
        assertThat(none).isEqualTo(ceiling);
    }

    @Property(tries = 20)
    void fullJitterActuallySpreads(@ForAll long seed) {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Backoff.Jitter.FULL);
        SplittableRandom random = new SplittableRandom(seed);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(0, random)).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }
}
