package dev.skewless.store.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A record file of the embedded store cannot be read back (truncated, edited by hand into
 * invalid JSON, a field the model rejects, or stored under the wrong name). The message names the
 * file and says what is wrong; the store never overwrites such a file.
 */
public final class UnreadableRecordException extends RuntimeException {
    private final Path file;

    public UnreadableRecordException(Path file, String problem) {
        super("unreadable record file " + file + ": " + problem + " (fix the file or delete it; the store will not overwrite it)");
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
