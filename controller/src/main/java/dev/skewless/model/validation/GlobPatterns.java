package dev.skewless.model.validation;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inclusion of ALB wildcard patterns ({@code *} any run of characters, empty included; {@code ?}
 * exactly one character; everything else literal), decided exactly: whether every string one
 * pattern matches is matched by at least one of a list of patterns. ALB path patterns compare
 * case-sensitively, host patterns ignoring case.
 *
 * <p>How: each pattern is a small automaton (state {@code i} = the first {@code i} characters of
 * the pattern matched). A breadth-first search over pairs (states of the one pattern, states of all
 * the others) looks for a string the one pattern matches and none of the others does. The only
 * characters that matter are those written in some pattern, plus one standing for every other
 * character, so the search is finite and exact.
 */
public final class GlobPatterns {
    /** Stands for any character that no pattern names. */
    private static final char OTHER = '\uFFFF';

    private GlobPatterns() {}

    /** Whether every string {@code pattern} matches is matched by some pattern of {@code cover}. */
    public static boolean covers(List<String> cover, String pattern, boolean ignoreCase) {
        String p = fold(pattern, ignoreCase);
        List<String> ps = cover.stream().map(c -> fold(c, ignoreCase)).toList();
        Set<Character> alphabet = new TreeSet<>();
        alphabet.add(OTHER);
        for (String s : concat(ps, p)) {
            for (char c : s.toCharArray()) {
                if (c != '*' && c != '?') {
                    alphabet.add(c);
                }
            }
        }
        int[] offsets = new int[ps.size() + 1];
        for (int i = 0; i < ps.size(); i++) {
            offsets[i + 1] = offsets[i] + ps.get(i).length() + 1;
        }
        BitSet mine = closure(p, single(0));
        BitSet theirs = new BitSet();
        for (int i = 0; i < ps.size(); i++) {
            theirs.or(shift(closure(ps.get(i), single(0)), offsets[i]));
        }
        ArrayDeque<BitSet[]> queue = new ArrayDeque<>();
        Set<List<BitSet>> seen = new HashSet<>();
        queue.add(new BitSet[] {mine, theirs});
        seen.add(List.of(mine, theirs));
        while (!queue.isEmpty()) {
            BitSet[] pair = queue.poll();
            if (pair[0].get(p.length()) && !acceptsAny(ps, offsets, pair[1])) {
                return false; // a string this pattern matches and no other does
            }
            for (char c : alphabet) {
                BitSet nextMine = step(p, pair[0], c);
                if (nextMine.isEmpty()) {
                    continue;
                }
                BitSet nextTheirs = new BitSet();
                for (int i = 0; i < ps.size(); i++) {
                    BitSet local = pair[1].get(offsets[i], offsets[i + 1]);
                    nextTheirs.or(shift(step(ps.get(i), local, c), offsets[i]));
                }
                if (seen.add(List.of(nextMine, nextTheirs))) {
                    queue.add(new BitSet[] {nextMine, nextTheirs});
                }
            }
        }
        return true;
    }

    /** Whether {@code pattern} matches {@code text} (the ALB semantics above). */
    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        String p = fold(pattern, ignoreCase);
        BitSet states = closure(p, single(0));
        for (char c : fold(text, ignoreCase).toCharArray()) {
            states = step(p, states, c);
        }
        return states.get(p.length());
    }

    private static boolean acceptsAny(List<String> ps, int[] offsets, BitSet states) {
        for (int i = 0; i < ps.size(); i++) {
            if (states.get(offsets[i] + ps.get(i).length())) {
                return true;
            }
        }
        return false;
    }

    private static BitSet step(String p, BitSet from, char c) {
        BitSet to = new BitSet();
        for (int i = from.nextSetBit(0); i >= 0 && i < p.length(); i = from.nextSetBit(i + 1)) {
            char pc = p.charAt(i);
            if (pc == '*') {
                to.set(i);
            } else if (pc == '?' || (pc == c && c != OTHER)) {
                to.set(i + 1);
            }
        }
        return closure(p, to);
    }

    /** Adds the states reachable by letting each {@code *} match nothing. */
    private static BitSet closure(String p, BitSet states) {
        BitSet out = (BitSet) states.clone();
        for (int i = 0; i < p.length(); i++) {
            if (out.get(i) && p.charAt(i) == '*') {
                out.set(i + 1);
            }
        }
        return out;
    }

    private static BitSet single(int i) {
        BitSet b = new BitSet();
        b.set(i);
        return b;
    }

    private static BitSet shift(BitSet b, int by) {
        BitSet out = new BitSet();
        b.stream().forEach(i -> out.set(i + by));
        return out;
    }

    private static String fold(String s, boolean ignoreCase) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }

    private static List<String> concat(List<String> list, String one) {
        var out = new java.util.ArrayList<>(list);
        out.add(one);
        return out;
    }
}
