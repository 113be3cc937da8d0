package dev.skewless.model.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The CPU and memory combinations Fargate accepts for a Linux task. Anything else fails at
 * {@code RegisterTaskDefinition} time, long after the manifest was applied, so we refuse it up
 * front.
 */
public final class FargateSizes {

    /**
     * Memory choices for one CPU size, in MiB.
     *
     * @param values  every allowed size, ascending
     * @param summary the same in words, for messages
     */
    private record MemoryChoices(List<Integer> values, String summary) {
        static MemoryChoices of(int... values) {
            List<Integer> list = Arrays.stream(values).boxed().toList();
            return new MemoryChoices(list, list.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }

        static MemoryChoices range(int from, int to, int step) {
            List<Integer> list = new ArrayList<>();
            for (int m = from; m <= to; m += step) {
                list.add(m);
            }
            return new MemoryChoices(List.copyOf(list), from + ".." + to + " in steps of " + step);
        }
    }

    // 256 CPU has no 1536: Fargate's table is a list there, ranges everywhere else.
    private static final Map<Integer, MemoryChoices> TABLE = new TreeMap<>(Map.of(
            256, MemoryChoices.of(512, 1024, 2048),
            512, MemoryChoices.range(1024, 4096, 1024),
            1024, MemoryChoices.range(2048, 8192, 1024),
            2048, MemoryChoices.range(4096, 16384, 1024),
            4096, MemoryChoices.range(8192, 30720, 1024),
            8192, MemoryChoices.range(16384, 61440, 4096),
            16384, MemoryChoices.range(32768, 122880, 8192)));

    private FargateSizes() {}

    /** The CPU sizes Fargate offers, ascending. */
    public static List<Integer> cpuSizes() {
        return List.copyOf(TABLE.keySet());
    }

    /** Whether {@code cpu} is a Fargate CPU size. */
    public static boolean isCpuSize(int cpu) {
        return TABLE.containsKey(cpu);
    }

    /** Whether Fargate runs a task of {@code cpu} units with {@code memory} MiB. */
    public static boolean isValid(int cpu, int memory) {
        MemoryChoices c = TABLE.get(cpu);
        return c != null && c.values().contains(memory);
    }

    /** Every memory size allowed with {@code cpu}, ascending; empty for an unknown cpu. */
    public static List<Integer> memoryChoices(int cpu) {
        MemoryChoices c = TABLE.get(cpu);
        return c == null ? List.of() : c.values();
    }

    /** The memory sizes for {@code cpu} in words, e.g. {@code 2048..8192 in steps of 1024}. */
    static String describeMemory(int cpu) {
        MemoryChoices c = TABLE.get(cpu);
        return c == null ? "" : c.summary();
    }

    /** The CPU sizes that allow {@code memory}, for a hint when only the CPU is wrong. */
    static List<Integer> cpusAllowing(int memory) {
        return TABLE.entrySet().stream().filter(e -> e.getValue().values().contains(memory)).map(Map.Entry::getKey).toList();
    }
}
