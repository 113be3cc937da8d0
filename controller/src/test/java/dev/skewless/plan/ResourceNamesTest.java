package dev.skewless.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.VersionKey;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {
    @Property(tries = 1000)
    void targetGroupNamesFitAlbRules(
            @ForAll @AlphaChars @StringLength(min = 1, max = 16) String app,
            @ForAll @AlphaChars @NumericChars @Chars({'.', '_', '-'}) @StringLength(min = 1, max = 64) String version) {
        String name = ResourceNames.targetGroup(new VersionKey(app.toLowerCase(), version));
        assertThat(name.length()).isLessThanOrEqualTo(32);
        assertThat(name).matches("[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]");
        String svc = ResourceNames.service(new VersionKey(app.toLowerCase(), version));
        assertThat(svc).matches("[A-Za-z0-9_-]{1,255}");
    }

    @Test
    void namesAreDeterministicAndKeepSanitisedTwinsApart() {
        VersionKey a = new VersionKey("shop", "v1.0");
        VersionKey b = new VersionKey("shop", "v1_0");
        assertThat(ResourceNames.targetGroup(a)).isEqualTo(ResourceNames.targetGroup(new VersionKey("shop", "v1.0")));
        assertThat(ResourceNames.service(a)).isNotEqualTo(ResourceNames.service(b));
        assertThat(ResourceNames.targetGroup(a)).isNotEqualTo(ResourceNames.targetGroup(b));
    }
}
