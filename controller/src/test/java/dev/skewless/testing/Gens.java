package dev.skewless.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * A small set of QuickTheories generators for property tests.
 *
 * <p>Every generator draws its numbers from the {@link RandomnessSource} QuickTheories passes in,
 * never from a {@code java.util.Random} of its own, so failing examples replay from the reported
 * seed and shrink. Choices shrink towards the first option, sizes towards the minimum.
 *
 * <p>To combine generators, write a lambda that calls them in turn; {@link Gen} is a functional
 * interface, and a later draw may depend on an earlier one:
 * <pre>{@code
 * Gen<Point> points = in -> new Point(ints(0, 9).generate(in), ints(0, 9).generate(in));
 * Gen<String> pins = in -> {
 *     List<String> pool = uniqueListOf(stringsOf("abc", 1, 3), 1, 5).generate(in);
 *     return pick(pool).generate(in);
 * };
 * }</pre>
 */
public final class Gens {
    private Gens() {}

    /** A choice for {@link #frequency}: {@code gen}, taken {@code weight} times in the sum of all weights. */
    public record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be positive: " + weight);
            }
        }
    }

    /** An int in {@code [min, max]}, uniformly. */
    public static Gen<Integer> ints(int min, int max) {
        if (max < min) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
        return in -> (int) in.next(Constraint.between(min, max));
    }

    /** Any long, uniformly. */
    public static Gen<Long> longs() {
        return in -> in.next(Constraint.none());
    }

    /** True or false, evenly. */
    public static Gen<Boolean> booleans() {
        return in -> in.next(Constraint.between(0, 1)) == 1;
    }

    /** Always {@code value} (which may be null). */
    public static <T> Gen<T> constant(T value) {
        return in -> value;
    }

    /** One of {@code values}, uniformly (null allowed). */
    @SafeVarargs
    public static <T> Gen<T> pick(T... values) {
        // The varargs methods copy element by element: handing the array on is not varargs-safe.
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(value);
        }
        return pick(list);
    }

    /** One of {@code values}, uniformly (the list is copied; it may hold null). */
    public static <T> Gen<T> pick(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        List<T> copy = new ArrayList<>(values);
        return in -> copy.get(index(in, copy.size()));
    }

    /** A value of one of {@code gens}, each generator chosen equally often. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> copy = new ArrayList<>(gens.length);
        for (Gen<? extends T> gen : gens) {
            copy.add(gen);
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no generators");
        }
        return in -> copy.get(index(in, copy.size())).generate(in);
    }

    /** A {@link #frequency} choice. */
    public static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /**
     * A value of one of the choices' generators, each chosen in proportion to its weight:
     * {@code frequency(weighted(3, a), weighted(1, b))} takes {@code a} three times in four.
     */
    @SafeVarargs
    public static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> copy = new ArrayList<>(choices.length);
        for (Weighted<? extends T> choice : choices) {
            copy.add(choice);
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no choices");
        }
        int total = copy.stream().mapToInt(Weighted::weight).sum();
        return in -> {
            long ticket = in.next(Constraint.between(0, total - 1));
            for (Weighted<? extends T> choice : copy) {
                ticket -= choice.weight();
                if (ticket < 0) {
                    return choice.gen().generate(in);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    /** A list of {@code min..max} (uniform) elements of {@code element}; duplicates allowed. */
    public static <T> Gen<List<T>> listOf(Gen<? extends T> element, int min, int max) {
        Gen<Integer> sizes = sizes(min, max);
        return in -> {
            int size = sizes.generate(in);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.generate(in));
            }
            return list;
        };
    }

    /**
     * A list of {@code min..max} (uniform) distinct elements of {@code element}, in the order drawn.
     * Duplicates are drawn again, up to ten tries per element; a generator that cannot yield
     * {@code min} distinct values fails the test with {@link IllegalStateException}.
     */
    public static <T> Gen<List<T>> uniqueListOf(Gen<? extends T> element, int min, int max) {
        Gen<Integer> sizes = sizes(min, max);
        return in -> {
            int size = sizes.generate(in);
            Set<T> seen = new HashSet<>();
            List<T> list = new ArrayList<>(size);
            for (int tries = 10 * size; list.size() < size && tries > 0; tries--) {
                T value = element.generate(in);
                if (seen.add(value)) {
                    list.add(value);
                }
            }
            if (list.size() < min) {
                throw new IllegalStateException("could not draw " + min + " distinct values, got " + list);
            }
            return list;
        };
    }

    /** {@code values} in a random order (every permutation equally likely). */
    public static <T> Gen<List<T>> shuffle(List<? extends T> values) {
        List<T> copy = new ArrayList<>(values);
        return in -> {
            List<T> shuffled = new ArrayList<>(copy);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = index(in, i + 1);
                shuffled.set(j, shuffled.set(i, shuffled.get(j)));
            }
            return shuffled;
        };
    }

    /** Null with probability {@code nullProbability} (0..1), else a value of {@code gen}. */
    public static <T> Gen<T> orNull(Gen<? extends T> gen, double nullProbability) {
        if (nullProbability < 0 || nullProbability > 1) {
            throw new IllegalArgumentException("not a probability: " + nullProbability);
        }
        long nullBelow = Math.round(nullProbability * 10_000);
        return in -> in.next(Constraint.between(0, 9_999)) < nullBelow ? null : gen.generate(in);
    }

    /**
     * Strings of {@code min..max} (uniform) chars, each one of the chars (UTF-16 units) of
     * {@code chars}. A surrogate pair in {@code chars} gives its two halves separately, so the
     * strings may hold unpaired surrogates.
     */
    public static Gen<String> stringsOf(String chars, int min, int max) {
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("no chars");
        }
        Gen<Integer> sizes = sizes(min, max);
        return in -> {
            int size = sizes.generate(in);
            StringBuilder out = new StringBuilder(size);
            for (int i = 0; i < size; i++) {
                out.append(chars.charAt(index(in, chars.length())));
            }
            return out.toString();
        };
    }

    /**
     * Strings of {@code min..max} (uniform) chars, each any UTF-16 unit {@code U+0000..U+FFFF}:
     * controls, noncharacters and unpaired surrogates included.
     */
    public static Gen<String> strings(int min, int max) {
        Gen<Integer> sizes = sizes(min, max);
        return in -> {
            int size = sizes.generate(in);
            StringBuilder out = new StringBuilder(size);
            for (int i = 0; i < size; i++) {
                out.append((char) in.next(Constraint.between(Character.MIN_VALUE, Character.MAX_VALUE)));
            }
            return out.toString();
        };
    }

    private static Gen<Integer> sizes(int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("bad size range " + min + ".." + max);
        }
        return ints(min, max);
    }

    /** An index into something of {@code size} elements. */
    private static int index(RandomnessSource in, int size) {
        return (int) in.next(Constraint.between(0, size - 1));
    }
}
