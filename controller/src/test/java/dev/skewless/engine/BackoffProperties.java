package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffProperties {

    @Test
    void ceilingDoublesUntilTheCap() {
        qt().withExamples(1000)
                .forAll(integers().between(0, 200), longs().between(1, 10_000), integers().between(1, 1_000))
                .checkAssert((failures, baseMillis, capFactor) -> {
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
                });
    }

    @Test
    void jitteredDelaysStayWithinTheirBounds() {
        qt().withExamples(1000)
                .forAll(integers().between(0, 40), longs().all())
                .checkAssert((failures, seed) -> {
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
                });
    }

    @Test
    void fullJitterActuallySpreads() {
        qt().withExamples(20).forAll(longs().all()).checkAssert(seed -> {
            Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Backoff.Jitter.FULL);
            SplittableRandom random = new SplittableRandom(seed);
            long distinct = IntStream.range(0, 50).mapToObj(i -> backoff.delay(0, random)).distinct().count();
            assertThat(distinct).isGreaterThan(40);
        });
    }
}
