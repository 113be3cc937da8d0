package dev.skewless.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "24h, PT24H",
        "30m, PT30M",
        "90s, PT1M30S",
        "1h30m, PT1H30M",
        "7d, PT168H",
        "500ms, PT0.5S",
        "1d2h3m4s5ms, PT26H3M4.005S",
        "0s, PT0S",
        "PT24H, PT24H",
        "pt30m, PT30M",
        "P7D, PT168H",
        "' 45s ', PT45S",
    })
    void parsesTheShortFormAndIso(String text, String iso) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "1h 30m", "30m1h", "1h1h", "1.5h", "-5m", "h", "10x", "PTxyz", "99999999999999999999d"})
    void refusesAnythingElseSayingWhatIsAllowed(String text) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("like 500ms", "out of order", "too long"));
    }

    @ParameterizedTest
    @CsvSource({
        "PT24H, 24h",
        "PT48H, 2d",
        "PT168H, 7d",
        "PT36H, 36h",
        "PT1M30S, 1m30s",
        "PT0.5S, 500ms",
        "PT1H0.25S, 1h250ms",
        "PT0S, 0s",
        "PT-5M, PT-5M",
        "PT0.0000001S, PT0.0000001S",
    })
    void writesTheShortFormWhereItCan(String iso, String text) {
        assertThat(DurationText.format(Duration.parse(iso))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT24H", "PT48H", "PT25H1S", "PT0.001S", "PT-1S", "PT0.000000001S", "PT876000H"})
    void whatItWritesItReadsBack(String iso) {
        Duration d = Duration.parse(iso);
        assertThat(DurationText.parse(DurationText.format(d))).isEqualTo(d);
    }
}
