package dev.skewless.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checked-in CRDs are exactly what {@link CrdWriter} makes of the JSON schemas, and the
 * writer's one regular-expression rewrite means what the original means.
 */
class CrdFilesTest {
    private static final String UPDATE = "skewless.crds.update";

    @Test
    void checkedInCrdsEqualTheGeneratorsOutput() throws IOException {
        Path root = RepoFiles.manifests().getParent();
        for (Map.Entry<Path, String> e : CrdWriter.render(root).entrySet()) {
            Path file = root.resolve(e.getKey());
            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            }
            String regenerate = "regenerate with: ./mvnw -q -o -pl controller test -Dtest=CrdFilesTest -D" + UPDATE + "=true";
            assertThat(file).as("%s is missing; %s", e.getKey(), regenerate).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s differs from what CrdWriter makes of manifests/schema; %s", e.getKey(), regenerate)
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void lookaheadRewriteMatchesTheSameStrings() {
        String duration = "^((?=[0-9])([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?|[-+]?[Pp]([0-9]+[Dd])?([Tt]([-+]?[0-9]+[Hh])?([-+]?[0-9]+[Mm])?([-+]?[0-9]+([.,][0-9]+)?[Ss])?)?)$";
        String rewritten = CrdWriter.re2(duration, "duration");
        assertThat(rewritten).doesNotContain("(?=");
        Pattern before = Pattern.compile(duration);
        Pattern after = Pattern.compile(rewritten);
        // Every string over the pattern's letters up to length 6: a difference, if any, shows in short strings.
        List<String> strings = strings("1dhmsPT", 6);
        for (String s : strings) {
            assertThat(after.matcher(s).matches()).as("'%s' against %s", s, rewritten).isEqualTo(before.matcher(s).matches());
        }
        assertThat(after.matcher("1h30m").matches()).isTrue();
        assertThat(after.matcher("").matches()).isFalse();
    }

    @Test
    void constructsRe2LacksStopTheGenerator() {
        assertThatThrownBy(() -> CrdWriter.re2("^(?!latest)[a-z]+$", "spec.x")).hasMessageContaining("spec.x")
                .hasMessageContaining("RE2");
        assertThatThrownBy(() -> CrdWriter.re2("^(a)\\1$", "spec.y")).hasMessageContaining("spec.y");
        assertThat(CrdWriter.re2("^[a-z]([a-z0-9-]*[a-z0-9])?$", "metadata.name")).isEqualTo("^[a-z]([a-z0-9-]*[a-z0-9])?$");
    }

    private static List<String> strings(String alphabet, int maxLength) {
        List<String> out = new ArrayList<>();
        out.add("");
        List<String> previous = List.of("");
        for (int length = 1; length <= maxLength; length++) {
            List<String> next = new ArrayList<>();
            for (String p : previous) {
                for (char c : alphabet.toCharArray()) {
                    next.add(p + c);
                }
            }
            out.addAll(next);
            previous = next;
        }
        return out;
    }
}
