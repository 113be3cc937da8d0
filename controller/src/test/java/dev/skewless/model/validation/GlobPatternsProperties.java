package dev.skewless.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link GlobPatterns#covers} against brute force: every string over {@code a b /} and one
 * character no pattern names ({@code c}), up to length 7, checked with a regular expression built
 * independently from each pattern. Patterns are short, so a string telling two of them apart, if
 * any, is shorter than that.
 */
class GlobPatternsProperties {
    private static final char[] SYMBOLS = {'a', 'b', '/', '*', '?'};
    private static final List<String> STRINGS = strings("ab/c", 7);

    @Test
    void coversAgreesWithBruteForce() {
        qt().withExamples(400).forAll(pattern(), lists().of(pattern()).ofSizeBetween(1, 3)).checkAssert((p, cover) -> {
            boolean brute = STRINGS.stream().filter(s -> regex(p).matcher(s).matches())
                    .allMatch(s -> cover.stream().anyMatch(q -> regex(q).matcher(s).matches()));
            assertThat(GlobPatterns.covers(cover, p, false)).as("%s covered by %s", p, cover).isEqualTo(brute);
        });
    }

    @Test
    void matchesAgreesWithARegularExpression() {
        qt().withExamples(400).forAll(pattern(), integers().between(0, STRINGS.size() - 1)).checkAssert((p, i) -> {
            String s = STRINGS.get(i);
            assertThat(GlobPatterns.matches(p, s, false)).as("%s ~ %s", p, s).isEqualTo(regex(p).matcher(s).matches());
        });
    }

    private static Gen<String> pattern() {
        return lists().of(integers().between(0, SYMBOLS.length - 1)).ofSizeBetween(0, 3).map(is -> {
            StringBuilder b = new StringBuilder();
            is.forEach(i -> b.append(SYMBOLS[i]));
            return b.toString();
        });
    }

    private static Pattern regex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            b.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    private static List<String> strings(String alphabet, int maxLength) {
        List<String> out = new ArrayList<>(List.of(""));
        List<String> last = List.of("");
        for (int n = 1; n <= maxLength; n++) {
            List<String> next = new ArrayList<>();
            for (String s : last) {
                for (char c : alphabet.toCharArray()) {
                    next.add(s + c);
                }
            }
            out.addAll(next);
            last = next;
        }
        return List.copyOf(out);
    }
}
