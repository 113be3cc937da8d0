package dev.skewless.store.embedded;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.VersionKey;
import dev.skewless.store.Fence;
import dev.skewless.store.FenceableVersionStore;
import dev.skewless.store.LeaseLostException;
import dev.skewless.store.StoreConflictException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link dev.skewless.store.VersionStore} in a directory on one machine, for {@code ./skewless
 * dev}: one JSON file per record, in the manifest format ({@link RecordFiles} has the layout).
 *
 * <ul>
 *   <li><b>Durable and atomic</b>: a write replaces the whole record file through a temporary file,
 *       {@code fsync} and a rename; a crash leaves the old record or the new one.</li>
 *   <li><b>Several processes</b>: {@code ./skewless dev} and a {@code ./skewless apply} in another
 *       terminal may use the same directory. Every write is a read-modify-write of one file under an
 *       OS lock on {@code store.lock} (and a lock per directory inside this JVM, since OS locks are
 *       per process); reads take no lock and always read the files, so they see other processes'
 *       writes at once.</li>
 *   <li><b>Same semantics as the DynamoDB store</b>: spec and status written separately,
 *       generation bumped only on spec change, optimistic concurrency on a non-zero expected
 *       generation, strictly increasing creation times within an App, versions need their App.</li>
 *   <li><b>A bad file never stops the controller</b>: an unreadable record file makes only reads
 *       that need it fail, with an {@link UnreadableRecordException} naming the file. {@link #listApps}
 *       leaves an unreadable App out (and logs it); {@link #listVersions} of an App with an
 *       unreadable version fails, so that App's passes fail with the file's name instead of planning
 *       without the version (which would remove its resources as orphans); every other App goes
 *       on. {@link #problems()} lists every unreadable file. The store never overwrites one.</li>
 *   <li><b>Watch</b>: writes made through this instance are delivered at once; writes by other
 *       processes are noticed by polling the files' fingerprints.</li>
 *   <li><b>Fenced writes</b> check the {@link EmbeddedLeaderLease} file under the write lock.</li>
 * </ul>
 */
public final class EmbeddedVersionStore implements FenceableVersionStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedVersionStore.class);
    /** How often watchers look for changes made by other processes, by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    /** One lock per store directory in this JVM: OS file locks do not exclude threads of one process. */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final RecordFiles files;
    private final InstantSource clock;
    private final Duration pollInterval;
    private final ReentrantLock jvmLock;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Set<Path> reportedUnreadable = ConcurrentHashMap.newKeySet();
    private Thread poller;
    private volatile boolean closed;

    private EmbeddedVersionStore(Path dir, InstantSource clock, Duration pollInterval) {
        this.files = new RecordFiles(dir);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.jvmLock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    /** Opens (creating it if needed) the store in {@code dir}, on the system clock. */
    public static EmbeddedVersionStore open(Path dir) {
        return open(dir, InstantSource.system(), DEFAULT_POLL_INTERVAL);
    }

    /**
     * Opens (creating it if needed) the store in {@code dir}.
     *
     * @param clock        creation times
     * @param pollInterval how often watchers look for other processes' writes
     */
    public static EmbeddedVersionStore open(Path dir, InstantSource clock, Duration pollInterval) {
        Path real;
        try {
            Files.createDirectories(dir);
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the store directory " + dir, e);
        }
        EmbeddedVersionStore store = new EmbeddedVersionStore(real, clock, pollInterval);
        store.files.createDirectories();
        int removed = store.locked(store.files::removeLeftoverTemporaryFiles);
        List<UnreadableRecordException> problems = store.problems();
        log.atInfo().addKeyValue("dir", real).addKeyValue("apps", store.files.appFiles().size())
                .addKeyValue("unreadable", problems.size()).addKeyValue("leftoverTemporaryFiles", removed)
                .log("embedded store opened");
        problems.forEach(store::reportUnreadable);
        return store;
    }

    /** The store's directory. */
    public Path directory() {
        return files.root();
    }

    /** Every record file that cannot be read right now, each naming its file and what is wrong. */
    public List<UnreadableRecordException> problems() {
        List<UnreadableRecordException> out = new ArrayList<>();
        for (Path file : files.allFiles()) {
            String app = files.appOf(file);
            String name = RecordFiles.nameOf(file);
            Optional<? extends RecordFiles.Read<?>> read = files.isAppFile(file)
                    ? files.readApp(name) : files.readVersion(new VersionKey(app, name));
            read.ifPresent(r -> {
                if (r instanceof RecordFiles.Read.Unreadable<?>(var error)) {
                    out.add(error);
                }
            });
        }
        return out;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<App> listApps() {
        List<App> out = new ArrayList<>();
        for (Path file : files.appFiles()) {
            String name = RecordFiles.nameOf(file);
            files.readApp(name).ifPresent(read -> {
                switch (read) {
                    case RecordFiles.Read.Ok<App>(App app) -> out.add(app);
                    case RecordFiles.Read.Unreadable<App>(var error) -> reportUnreadable(error);
                }
            });
        }
        out.sort(Comparator.comparing(App::name));
        return out;
    }

    /**
     * @throws UnreadableRecordException when the App's file cannot be read
     */
    @Override
    public Optional<App> getApp(String name) {
        return files.readApp(name).map(EmbeddedVersionStore::orThrow);
    }

    /**
     * @throws UnreadableRecordException when a version file of the App cannot be read (planning
     *                                   without it would treat its resources as orphans)
     */
    @Override
    public List<AppVersion> listVersions(String app) {
        List<AppVersion> out = new ArrayList<>();
        for (Path file : files.versionFiles(app)) {
            files.readVersion(new VersionKey(app, RecordFiles.nameOf(file))).ifPresent(read -> out.add(orThrow(read)));
        }
        out.sort(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp()).thenComparing(AppVersion::id));
        return out;
    }

    /**
     * @throws UnreadableRecordException when the version's file cannot be read
     */
    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return files.readVersion(key).map(EmbeddedVersionStore::orThrow);
    }

    // ---------------------------------------------------------------- spec writes

    @Override
    public App applyApp(App app) {
        Objects.requireNonNull(app, "app");
        Written<App> written = locked(() -> {
            ObjectMeta meta = app.metadata();
            Optional<App> current = files.readApp(app.name()).map(EmbeddedVersionStore::orThrow);
            App stored;
            if (current.isEmpty()) {
                if (meta.generation() != 0) {
                    throw new StoreConflictException("app " + app.name() + " does not exist (expected generation " + meta.generation() + ")");
                }
                stored = new App(meta.stored(1, clock.instant()), app.spec(), AppStatus.EMPTY);
            } else {
                App was = current.get();
                long generation = was.metadata().generation();
                if (meta.generation() != 0 && meta.generation() != generation) {
                    throw new StoreConflictException("app " + app.name() + " is at generation " + generation + ", not " + meta.generation());
                }
                boolean specChanged = !was.spec().equals(app.spec());
                if (!specChanged && was.metadata().labels().equals(meta.labels())) {
                    return new Written<>(was, false); // idempotent: nothing written, nobody told
                }
                stored = new App(meta.stored(specChanged ? generation + 1 : generation, was.metadata().creationTimestamp()),
                        app.spec(), was.status());
            }
            files.writeApp(stored);
            log.atInfo().addKeyValue("app", app.name()).addKeyValue("generation", stored.metadata().generation())
                    .log(current.isEmpty() ? "app created" : "app updated");
            return new Written<>(stored, true);
        });
        if (written.changed()) {
            notifyChange(app.name());
        }
        return written.record();
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        Objects.requireNonNull(version, "version");
        Written<AppVersion> written = locked(() -> {
            VersionKey key = version.key();
            ObjectMeta meta = version.metadata();
            Optional<AppVersion> current = files.readVersion(key).map(EmbeddedVersionStore::orThrow);
            AppVersion stored;
            if (current.isEmpty()) {
                if (meta.generation() != 0) {
                    throw new StoreConflictException("version " + key + " does not exist (expected generation " + meta.generation() + ")");
                }
                if (files.readApp(version.app()).isEmpty()) {
                    throw new StoreConflictException("app " + version.app() + " does not exist; apply the App first");
                }
                stored = new AppVersion(meta.stored(1, creationTime(version.app())), version.spec(), AppVersionStatus.PENDING);
            } else {
                AppVersion was = current.get();
                long generation = was.metadata().generation();
                if (meta.generation() != 0 && meta.generation() != generation) {
                    throw new StoreConflictException("version " + key + " is at generation " + generation + ", not " + meta.generation());
                }
                boolean specChanged = !was.spec().equals(version.spec());
                if (!specChanged && was.metadata().labels().equals(meta.labels())) {
                    return new Written<>(was, false);
                }
                stored = new AppVersion(meta.stored(specChanged ? generation + 1 : generation, was.metadata().creationTimestamp()),
                        version.spec(), was.status());
            }
            files.writeVersion(stored);
            log.atInfo().addKeyValue("app", key.app()).addKeyValue("version", key.version())
                    .addKeyValue("generation", stored.metadata().generation())
                    .log(current.isEmpty() ? "version created" : "version updated");
            return new Written<>(stored, true);
        });
        if (written.changed()) {
            notifyChange(version.app());
        }
        return written.record();
    }

    /**
     * Now, or just after the App's newest version if the clock has not moved past it: "newest
     * version" must not depend on the clock's resolution or on which process applied. Called
     * under the write lock. Reads every version file of the App, readable or not, by fingerprint
     * only when it cannot be parsed (an unreadable sibling must not block a new version).
     */
    private Instant creationTime(String app) {
        Instant created = clock.instant();
        for (Path file : files.versionFiles(app)) {
            Optional<RecordFiles.Read<AppVersion>> read = files.readVersion(new VersionKey(app, RecordFiles.nameOf(file)));
            if (read.isPresent() && read.get() instanceof RecordFiles.Read.Ok<AppVersion>(AppVersion v)
                    && !v.metadata().creationTimestamp().isBefore(created)) {
                created = v.metadata().creationTimestamp().plusNanos(1);
            }
        }
        return created;
    }

    // ---------------------------------------------------------------- status writes

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        writeAppStatus(app, status, null);
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        writeVersionStatus(key, status, null);
    }

    @Override
    public void writeAppStatus(String app, AppStatus status, Fence fence) {
        Objects.requireNonNull(status, "status");
        locked(() -> {
            checkFence(fence, "app " + app);
            App current = files.readApp(app).map(EmbeddedVersionStore::orThrow)
                    .orElseThrow(() -> new StoreConflictException("app " + app + " does not exist"));
            files.writeApp(current.withStatus(status));
            return null;
        });
        notifyChange(app);
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status, Fence fence) {
        Objects.requireNonNull(status, "status");
        locked(() -> {
            checkFence(fence, "version " + key);
            AppVersion current = files.readVersion(key).map(EmbeddedVersionStore::orThrow)
                    .orElseThrow(() -> new StoreConflictException("version " + key + " does not exist"));
            files.writeVersion(current.withStatus(status));
            return null;
        });
        notifyChange(key.app());
    }

    /** Under the write lock, so the lease cannot change hands between this check and the write. */
    private void checkFence(Fence fence, String what) {
        if (fence == null) {
            return;
        }
        Optional<EmbeddedLeaderLease.Holding> holding = EmbeddedLeaderLease.currentHolding(files.root());
        boolean holds = holding.isPresent() && holding.get().holder().equals(fence.holder())
                && holding.get().token() == fence.token();
        if (!holds) {
            log.atWarn().addKeyValue("record", what).addKeyValue("holder", fence.holder()).addKeyValue("token", fence.token())
                    .log("fenced status write refused: lease lost");
            throw new LeaseLostException("lease " + fence.lease() + " is no longer held by " + fence.holder() + " with token "
                    + fence.token() + "; status of " + what + " not written");
        }
    }

    // ---------------------------------------------------------------- watch

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        startPoller();
        return () -> listeners.remove(listener);
    }

    /** Stops the poller; watchers hear nothing more. Idempotent. */
    @Override
    public void close() {
        Thread p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = poller;
        }
        listeners.clear();
        if (p != null) {
            p.interrupt();
            try {
                p.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void startPoller() {
        if (poller != null || closed) {
            return;
        }
        Map<Path, String> baseline = fingerprints();
        poller = Thread.ofVirtual().name("skewless-embedded-store-watch").start(() -> poll(baseline));
    }

    /**
     * Notices writes by other processes (and re-announces ours, which is harmless: delivery is a
     * hint). A missed change (same inode, time and size) is caught by the engine's resync.
     */
    private void poll(Map<Path, String> baseline) {
        Map<Path, String> seen = baseline;
        while (!closed) {
            try {
                Thread.sleep(pollInterval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                Map<Path, String> now = fingerprints();
                Set<String> changed = new HashSet<>();
                for (Map.Entry<Path, String> e : now.entrySet()) {
                    if (!e.getValue().equals(seen.get(e.getKey()))) {
                        changed.add(files.appOf(e.getKey()));
                    }
                }
                for (Path gone : seen.keySet()) {
                    if (!now.containsKey(gone)) {
                        changed.add(files.appOf(gone));
                    }
                }
                seen = now;
                changed.forEach(this::notifyChange);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("watching the store directory failed; trying again");
            }
        }
    }

    private Map<Path, String> fingerprints() {
        Map<Path, String> out = new HashMap<>();
        for (Path file : files.allFiles()) {
            String fp = RecordFiles.fingerprint(file);
            if (fp != null) {
                out.put(file, fp);
            }
        }
        return out;
    }

    private void notifyChange(String app) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(app);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).addKeyValue("app", app).log("a store watcher failed; ignored");
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** What an apply stored, and whether it wrote anything. */
    private record Written<T>(T record, boolean changed) {}

    /** Runs {@code body} holding this JVM's lock on the directory and the OS lock on {@code store.lock}. */
    private <T> T locked(Supplier<T> body) {
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(files.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return body.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + files.lockFile(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    private void reportUnreadable(UnreadableRecordException e) {
        // Once per file and process: resyncs list Apps every minute.
        if (reportedUnreadable.add(e.file())) {
            log.atError().addKeyValue("file", e.file()).log(e.getMessage());
        }
    }

    private static <T> T orThrow(RecordFiles.Read<T> read) {
        return switch (read) {
            case RecordFiles.Read.Ok<T>(T record) -> record;
            case RecordFiles.Read.Unreadable<T>(var error) -> throw error;
        };
    }
}
