package dev.skewless.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.skewless.model.VersionKey;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

class ResourceNamesTest {
    private static final String APP_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private static final String VERSION_CHARS = "ABCXYZabcxyz0123456789._-";

    @Test
    void targetGroupAndServiceNamesFitAwsRules() {
        qt().withExamples(2000).forAll(word(APP_CHARS, 1, 16), word(VERSION_CHARS, 1, 64)).checkAssert((app, version) -> {
            VersionKey key = new VersionKey(app, version);
            String tg = ResourceNames.targetGroup(key);
            assertThat(tg.length()).isLessThanOrEqualTo(ResourceNames.TARGET_GROUP_NAME_MAX);
            assertThat(tg).matches("[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]");
            assertThat(ResourceNames.service(key)).matches("[A-Za-z0-9_-]{1,255}");
        });
    }

    @Test
    void namesAreDeterministicAndKeepSanitisedTwinsApart() {
        VersionKey a = new VersionKey("shop", "v1.0");
        VersionKey b = new VersionKey("shop", "v1_0");
        assertThat(ResourceNames.targetGroup(a)).isEqualTo(ResourceNames.targetGroup(new VersionKey("shop", "v1.0")));
        assertThat(ResourceNames.service(a)).isNotEqualTo(ResourceNames.service(b));
        assertThat(ResourceNames.targetGroup(a)).isNotEqualTo(ResourceNames.targetGroup(b));
    }

    /** Words of {@code min..max} characters from {@code alphabet}. */
    static Gen<String> word(String alphabet, int min, int max) {
        return in -> {
            int n = (int) in.next(Constraint.between(min, max));
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(alphabet.charAt((int) in.next(Constraint.between(0, alphabet.length() - 1))));
            }
            return sb.toString();
        };
    }
}
