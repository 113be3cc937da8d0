package dev.skewless.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.skewless.model.PriorityRange;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PriorityAllocatorTest {
    private static final PriorityRange RANGE = new PriorityRange(100, 199);

    @Test
    void spreadsNewRulesOverTheRangeLeavingRoomForInserts() {
        int[] p = PriorityAllocator.assign(RANGE, new TreeSet<>(), empties(4)).orElseThrow();
        assertThat(p).isSorted().doesNotHaveDuplicates();
        assertThat(p[0]).isGreaterThan(100);
        assertThat(p[1] - p[0]).isGreaterThan(10);
    }

    @Test
    void keepsRulesThatAreAlreadyInOrderAndSlotsANewOneBetween() {
        List<OptionalInt> current = List.of(OptionalInt.of(110), OptionalInt.empty(), OptionalInt.of(150), OptionalInt.of(190));
        int[] p = PriorityAllocator.assign(RANGE, new TreeSet<>(), current).orElseThrow();
        assertThat(p[0]).isEqualTo(110);
        assertThat(p[2]).isEqualTo(150);
        assertThat(p[3]).isEqualTo(190);
        assertThat(p[1]).isBetween(111, 149);
    }

    @Test
    void movesOnlyTheRuleThatIsOutOfOrder() {
        // The third rule sits before the second: one of them must move, the others stay.
        List<OptionalInt> current = List.of(OptionalInt.of(110), OptionalInt.of(160), OptionalInt.of(150), OptionalInt.of(190));
        int[] p = PriorityAllocator.assign(RANGE, new TreeSet<>(), current).orElseThrow();
        int moved = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] != current.get(i).getAsInt()) {
                moved++;
            }
        }
        assertThat(moved).isEqualTo(1);
        assertThat(p).isSorted();
    }

    @Test
    void neverUsesAForeignPriorityAndReusesFreedSlots() {
        TreeSet<Integer> foreign = new TreeSet<>();
        for (int i = 100; i <= 197; i++) {
            foreign.add(i);
        }
        int[] p = PriorityAllocator.assign(RANGE, foreign, empties(2)).orElseThrow();
        assertThat(p).containsExactly(198, 199);
        assertThat(PriorityAllocator.assign(RANGE, foreign, empties(3))).isEmpty();
    }

    @Test
    void respreadsWhenAGapIsTooSmall() {
        List<OptionalInt> current = List.of(OptionalInt.of(100), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(101));
        int[] p = PriorityAllocator.assign(RANGE, new TreeSet<>(), current).orElseThrow();
        assertThat(p).isSorted().doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(p).allMatch(RANGE::contains)).isTrue();
    }

    @Test
    void alwaysStrictlyIncreasingInsideTheRangeAndAvoidingForeignSlots() {
        qt().withExamples(1000)
                .forAll(lists().of(integers().between(90, 210)).ofSizeBetween(0, 40),
                        lists().of(integers().between(0, 230)).ofSizeBetween(0, 30))
                .checkAssert((foreignList, currentRaw) -> {
                    TreeSet<Integer> foreign = new TreeSet<>(foreignList);
                    List<OptionalInt> current = new ArrayList<>();
                    TreeSet<Integer> used = new TreeSet<>();
                    for (int c : currentRaw) {
                        // A current priority is unique on the listener and never a foreign one; 0 means a new rule.
                        current.add(c == 0 || foreign.contains(c) || !used.add(c) ? OptionalInt.empty() : OptionalInt.of(c));
                    }
                    long free = RANGE.size() - foreign.stream().filter(RANGE::contains).count();
                    var result = PriorityAllocator.assign(RANGE, foreign, current);
                    assertThat(result.isPresent()).isEqualTo(current.size() <= free);
                    result.ifPresent(p -> {
                        assertThat(p).isSorted().doesNotHaveDuplicates();
                        for (int x : p) {
                            assertThat(RANGE.contains(x)).isTrue();
                            assertThat(foreign).doesNotContain(x);
                        }
                    });
                });
    }

    private static List<OptionalInt> empties(int n) {
        List<OptionalInt> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(OptionalInt.empty());
        }
        return l;
    }
}
