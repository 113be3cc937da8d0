package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected command output kept in {@code src/test/resources/cli/golden/}. A difference fails the
 * test; after an intended change of format, rewrite the files with
 * {@code ./mvnw -pl controller test -Dtest=GetCommandTest -Dskewless.golden.update=true} and
 * review the diff in git.
 */
final class Golden {
    private static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/cli/golden");

    private Golden() {}

    static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("skewless.golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden file %s (rewrite with -Dskewless.golden.update=true)", file).exists();
            assertThat(actual).as("output against golden file %s", file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
