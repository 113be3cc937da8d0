package dev.skewless.infra.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A process the deploy commands run on this machine (mvnw, npm, docker, git, the cdk CLI).
 *
 * @param argv      program and arguments
 * @param directory working directory
 * @param env       variables added to the inherited environment
 * @param stdin     text fed to standard input (a registry password); never printed; may be null
 */
public record LocalCommand(List<String> argv, Path directory, Map<String, String> env, String stdin) {
    public LocalCommand {
        argv = List.copyOf(argv);
        Objects.requireNonNull(directory, "directory");
        env = Map.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** A command in {@code directory} with no extra environment. */
    public static LocalCommand in(Path directory, String... argv) {
        return new LocalCommand(List.of(argv), directory, Map.of(), null);
    }

    /** Copy with an extra environment variable. */
    public LocalCommand withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new LocalCommand(argv, directory, e, stdin);
    }

    /** Copy with standard input. */
    public LocalCommand withStdin(String text) {
        return new LocalCommand(argv, directory, env, text);
    }

    /** Copy with more arguments. */
    public LocalCommand plus(List<String> more) {
        List<String> a = new ArrayList<>(argv);
        a.addAll(more);
        return new LocalCommand(a, directory, env, stdin);
    }

    /**
     * How it is printed: {@code (in web) VITE_DEPLOYMENT_ID=v3 npm run build}, paths relative to
     * {@code root}, arguments with spaces quoted, standard input shown only as {@code < (hidden)}.
     *
     * @param root paths are shown relative to it
     */
    public String describe(Path root) {
        String where = directory.equals(root) ? "" : "(in " + root.relativize(directory) + ") ";
        String vars = new java.util.TreeMap<>(env).entrySet().stream().map(e -> e.getKey() + "=" + quote(e.getValue()))
                .collect(Collectors.joining(" "));
        String prefix = root.toString() + java.io.File.separator;
        String args = argv.stream().map(a -> a.equals(root.toString()) ? "." : a.startsWith(prefix) ? a.substring(prefix.length()) : a)
                .map(LocalCommand::quote).collect(Collectors.joining(" "));
        return where + (vars.isEmpty() ? "" : vars + " ") + args + (stdin == null ? "" : " < (hidden)");
    }

    private static String quote(String s) {
        return s.isEmpty() || s.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '$')
                ? "'" + s.replace("'", "'\\''") + "'" : s;
    }
}
