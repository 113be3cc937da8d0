package dev.skewless.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real {@code kubectl} binary, run against a test API server's kubeconfig. */
public final class Kubectl {
    private Kubectl() {}

    /** Exit code and combined output. */
    public record Result(int exit, String output) {}

    public static Result run(Path kubeconfig, Path workingDirectory, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
