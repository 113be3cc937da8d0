package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeTextTest {
    private static final Instant NOW = Instant.parse("2026-12-04T13:00:00Z");

    @Test
    void shortDeadlinesKeepTheirSecondsSoTruncationDoesNotMislead() {
        assertThat(TimeText.relative(NOW.plusSeconds(179), NOW)).isEqualTo("in 2m59s");
        assertThat(TimeText.relative(NOW.plusSeconds(180), NOW)).isEqualTo("in 3m");
        assertThat(TimeText.relative(NOW.plusSeconds(45), NOW)).isEqualTo("in 45s");
        assertThat(TimeText.relative(NOW.minusSeconds(30 * 60), NOW)).isEqualTo("30m ago");
    }

    @Test
    void hoursAndDaysCarryTheNextUnit() {
        assertThat(TimeText.span(Duration.ofMinutes(2 * 60 + 14))).isEqualTo("2h14m");
        assertThat(TimeText.span(Duration.ofHours(5))).isEqualTo("5h");
        assertThat(TimeText.span(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(TimeText.span(Duration.ofDays(3))).isEqualTo("3d");
    }

    @Test
    void stampsAreToTheSecond() {
        Instant t = Instant.parse("2026-12-04T13:33:19.960973397Z");
        assertThat(TimeText.stamp(t, NOW)).isEqualTo("2026-12-04T13:33:19Z (in 33m)");
    }
}
