package dev.skewless.store.embedded;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The embedded store's directory: where each record lives, how it is written (whole file, atomically)
 * and read back (through the manifest reader, so a record file is exactly what {@code get -o json}
 * prints).
 *
 * <pre>
 * &lt;dir&gt;/store.lock                      writers of any process hold an OS lock on it
 * &lt;dir&gt;/apps/&lt;app&gt;.json                one App
 * &lt;dir&gt;/versions/&lt;app&gt;/&lt;version&gt;.json   one AppVersion
 * </pre>
 *
 * Names are encoded so that ids differing only in case stay two files on case-insensitive file
 * systems (macOS): an upper-case letter {@code X} is written {@code ^x} ({@code ^} is not allowed in
 * names, so the encoding cannot collide). Record files end in {@code .json} (so the version ids
 * {@code .} and {@code ..} are the harmless {@code ..json} and {@code ...json}); temporary files
 * end in {@code .tmp} and are never read as records.
 */
final class RecordFiles {
    static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private final Path apps;
    private final Path versions;
    /** Parsed records by file, valid while the file's text is the same: parsing costs, reading does not. */
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

    private record Parsed(String text, Subject subject) {}

    /** What a file held: a record, or why it could not be read. */
    sealed interface Read<T> {
        record Ok<T>(T record) implements Read<T> {}

        record Unreadable<T>(UnreadableRecordException error) implements Read<T> {}
    }

    RecordFiles(Path root) {
        this.root = root;
        this.apps = root.resolve("apps");
        this.versions = root.resolve("versions");
    }

    Path root() {
        return root;
    }

    void createDirectories() {
        try {
            Files.createDirectories(apps);
            Files.createDirectories(versions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + root, e);
        }
    }

    Path lockFile() {
        return root.resolve("store.lock");
    }

    Path appFile(String app) {
        return apps.resolve(encode(app) + SUFFIX);
    }

    Path versionDir(String app) {
        return versions.resolve(encode(app));
    }

    Path versionFile(VersionKey key) {
        return versionDir(key.app()).resolve(encode(key.version()) + SUFFIX);
    }

    /** Every App file, sorted by path. */
    List<Path> appFiles() {
        return recordFiles(apps);
    }

    /** Every version file of {@code app}, sorted by path. */
    List<Path> versionFiles(String app) {
        return recordFiles(versionDir(app));
    }

    /** Every record file, Apps and versions. */
    List<Path> allFiles() {
        List<Path> out = new ArrayList<>(appFiles());
        for (Path dir : directories(versions)) {
            out.addAll(recordFiles(dir));
        }
        return out;
    }

    /** Whether a record file holds an App (else a version). */
    boolean isAppFile(Path file) {
        return file.getParent().equals(apps);
    }

    /** The App a record file belongs to. */
    String appOf(Path file) {
        Path parent = file.getParent();
        if (parent.equals(apps)) {
            String name = file.getFileName().toString();
            return decode(name.substring(0, name.length() - SUFFIX.length()));
        }
        return decode(parent.getFileName().toString());
    }

    // ---------------------------------------------------------------- reading

    Optional<Read<App>> readApp(String name) {
        Path file = appFile(name);
        return read(file, subject -> subject instanceof Subject.OfApp(var label, App app) && app.name().equals(name)
                ? app : null, "the App " + name);
    }

    Optional<Read<AppVersion>> readVersion(VersionKey key) {
        Path file = versionFile(key);
        return read(file, subject -> subject instanceof Subject.OfVersion(var label, AppVersion v) && v.key().equals(key)
                ? v : null, "the AppVersion " + key);
    }

    /**
     * Reads and parses one file; empty when it does not exist.
     *
     * @param expect the record if the subject is the one expected at this path, else null
     */
    private <T> Optional<Read<T>> read(Path file, java.util.function.Function<Subject, T> expect, String expected) {
        try {
            Optional<String> text = text(file);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Subject subject = parse(file, text.get());
            T record = expect.apply(subject);
            if (record == null) {
                throw new UnreadableRecordException(file,
                        "expected " + expected + ", found " + subject.kind() + " " + subject.displayName());
            }
            return Optional.of(new Read.Ok<>(record));
        } catch (UnreadableRecordException e) {
            return Optional.of(new Read.Unreadable<>(e));
        }
    }

    /** The name of the record a file should hold, from its file name (null when not a record file). */
    static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) ? decode(name.substring(0, name.length() - SUFFIX.length())) : null;
    }

    private Subject parse(Path file, String text) {
        Parsed cached = parsed.get(file);
        if (cached != null && cached.text().equals(text)) {
            return cached.subject();
        }
        Manifests read = ManifestReader.read(text, file.getFileName().toString());
        if (!read.clean() || read.subjects().size() != 1) {
            String problems = read.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
            throw new UnreadableRecordException(file, problems.isEmpty() ? "expected exactly one record" : problems);
        }
        Subject subject = read.subjects().getFirst();
        parsed.put(file, new Parsed(text, subject));
        return subject;
    }

    /** The file's text; empty when there is no such file. */
    private static Optional<String> text(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UnreadableRecordException(file, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read record file " + file, e);
        }
    }

    // ---------------------------------------------------------------- writing

    void writeApp(App app) {
        write(appFile(app.name()), ManifestWriter.write(ManifestWriter.Format.JSON, app));
    }

    void writeVersion(AppVersion version) {
        Path file = versionFile(version.key());
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        write(file, ManifestWriter.write(ManifestWriter.Format.JSON, version));
    }

    /**
     * Replaces {@code file} with {@code text}: written to a temporary file beside it, flushed to disk,
     * then renamed over it, so a reader (or a crash) sees the old record or the new one, never half.
     */
    private void write(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(StandardCharsets.UTF_8.encode(text));
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; a leftover temporary file is removed at the next open
            }
            throw new UncheckedIOException("cannot write record file " + file, e);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /** Deletes temporary files a crashed writer left behind. Call only while holding the write lock. */
    int removeLeftoverTemporaryFiles() {
        int removed = 0;
        List<Path> dirs = new ArrayList<>(List.of(apps));
        dirs.addAll(directories(versions));
        for (Path dir : dirs) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + "*" + TEMP_SUFFIX)) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            } catch (NoSuchFileException e) {
                // nothing there
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean " + dir, e);
            }
        }
        return removed;
    }

    /** A fingerprint of a file's current content: changes whenever it is replaced. */
    static String fingerprint(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() + "/" + a.lastModifiedTime().toInstant() + "/" + a.size();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    // ---------------------------------------------------------------- names

    /** {@code Shop-V1} → {@code ^shop-^v1}: case survives case-insensitive file systems. */
    static String encode(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            // Validation never lets such a name into a record; refusing it here keeps every path inside the store.
            throw new IllegalArgumentException("not a record name: '" + name + "'");
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                out.append('^').append((char) (c - 'A' + 'a'));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '^' && i + 1 < encoded.length()) {
                out.append(Character.toUpperCase(encoded.charAt(++i)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<Path> recordFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    private static List<Path> directories(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }
}
