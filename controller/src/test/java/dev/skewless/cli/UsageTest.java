package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Help everywhere (exit 0) and usage errors (exit 2), which need no store. */
class UsageTest {
    private final Terminal t = new Terminal();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void everyVerbHasHelp() {
        for (List<String> verb : List.of(List.<String>of(), List.of("init"), List.of("apply"), List.of("get"), List.of("describe"),
                List.of("promote"), List.of("rollback"), List.of("revoke"), List.of("wait"), List.of("sandbox"),
                List.of("sandbox", "register-targets"))) {
            String[] args = java.util.stream.Stream.concat(verb.stream(), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Terminal.Run r = t.run(args);
            assertThat(r.exit()).as("%s: %s", verb, r).isZero();
            assertThat(r.out()).as("%s", verb).contains("Usage: skewless" + (verb.isEmpty() ? "" : " " + String.join(" ", verb)));
        }
        Terminal.Run root = t.run("--help");
        assertThat(root.out()).contains("init", "apply", "get", "describe", "promote", "rollback", "revoke", "wait")
                .contains("Exit codes:").contains("3   timed out (wait)");
        assertThat(t.run("help", "promote").out()).contains("Usage: skewless promote");
    }

    @Test
    void usageErrorsExitTwo() {
        Terminal.Run none = t.run();
        Terminal.Run unknown = t.run("deploy");
        Terminal.Run missing = t.run("promote", "shop");
        Terminal.Run option = t.run("get", "apps", "--colour");
        Terminal.Run noFile = t.run("apply");

        assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("Usage: skewless");
        assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("error: Unmatched argument at index 0: 'deploy'").contains("See 'skewless --help'.");
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'VERSION'").contains("See 'skewless promote --help'.");
        assertThat(option.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(option.err()).contains("Unknown option: '--colour'");
        assertThat(noFile.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noFile.err()).contains("Missing required option: '--filename=FILE|DIR|-'");
    }

    @Test
    void anUnknownStoreIsAUsageError() {
        t.variables.put("SKEWLESS_STORE", "etcd:/tmp/x");

        Terminal.Run r = t.run("get", "apps");

        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("SKEWLESS_STORE=etcd:/tmp/x is not a store skewless knows");
    }
}
