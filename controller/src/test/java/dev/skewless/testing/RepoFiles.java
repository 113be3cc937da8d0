package dev.skewless.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository outside the module, found from the module directory Maven runs tests in. */
public final class RepoFiles {
    private RepoFiles() {}

    /** The repository's {@code manifests/} directory. */
    public static Path manifests() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path dir = module.resolve("../manifests").normalize();
        if (!Files.isDirectory(dir)) {
            dir = module.resolve("manifests"); // a benchmark run from the repository root (exec:java)
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("manifests/ not found next to " + module);
        }
        return dir;
    }

    /** The regular files directly in {@code dir} whose names end with one of {@code suffixes}, sorted by name. */
    public static List<Path> list(Path dir, String... suffixes) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
