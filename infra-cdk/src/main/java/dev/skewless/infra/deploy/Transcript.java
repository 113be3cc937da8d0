package dev.skewless.infra.deploy;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the deploy commands say they do, one line per step, before doing it: every AWS call
 * (service, operation, key parameters) and every local command. In a dry run the same lines are
 * printed with a {@code [dry-run]} mark and nothing is done, so a dry run shows exactly what a
 * real run would do, given the same answers.
 */
public final class Transcript {
    private final PrintWriter out;
    private final boolean dryRun;

    public Transcript(PrintWriter out, boolean dryRun) {
        this.out = out;
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** A heading for a group of steps. */
    public void step(String what) {
        out.println("== " + what);
        out.flush();
    }

    /** An AWS call: {@code aws  ssm GetParametersByPath Path=/skewless/shop/ Recursive=true}. */
    public void aws(String service, String operation, Map<String, ?> params) {
        String p = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        line("aws   " + service + " " + operation + (p.isEmpty() ? "" : " " + p));
    }

    /** A local command. */
    public void local(String described) {
        line("local " + described);
    }

    /** A remark (a decision, a skipped step, a warning). */
    public void note(String text) {
        line("note  " + text);
    }

    private void line(String text) {
        out.println((dryRun ? "[dry-run] " : "") + text);
        out.flush();
    }
}
