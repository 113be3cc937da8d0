package dev.skewless.cli.dev;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.Phase;
import dev.skewless.store.VersionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the web client of every version of one App that has none yet, into
 * {@code <webRoot>/<version>/}, where the local router serves it: the part of a release that
 * {@code deploy:web} does in production (assets to S3 before {@code index.html}).
 *
 * <p>The command is the App's {@code spec.local.webBuild}, run from the repository with
 * {@code ${VERSION}}, {@code ${OUT}} and the version's {@code spec.env} variables substituted. A
 * build writes into a fresh directory that is renamed into place only when it succeeded, so the
 * router never serves half a build. Builds run one at a time on one virtual thread, woken by store
 * changes and every few seconds; a failed build is retried after a minute, its output kept in the
 * logs directory. Retired versions are not built; their existing builds stay (like S3's lifecycle
 * rule keeps old assets longer than the longest retention).
 */
public final class WebClientBuilds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebClientBuilds.class);
    private static final Duration SCAN_EVERY = Duration.ofSeconds(3);
    private static final Duration RETRY_AFTER = Duration.ofMinutes(1);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private final VersionStore store;
    private final String app;
    private final Path workDir;
    private final Path webRoot;
    private final Path logDir;
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Process running;
    private Thread worker;
    private AutoCloseable watch;

    /**
     * @param store   the records
     * @param app     the App whose web client the router serves
     * @param workDir where the commands run (the repository)
     * @param webRoot one directory per version goes here
     * @param logDir  each build's output goes to {@code web-<version>.log} here
     */
    public WebClientBuilds(VersionStore store, String app, Path workDir, Path webRoot, Path logDir) {
        this.store = Objects.requireNonNull(store, "store");
        this.app = Objects.requireNonNull(app, "app");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.webRoot = Objects.requireNonNull(webRoot, "webRoot");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /** Starts building in the background. */
    public synchronized WebClientBuilds start() {
        try {
            Files.createDirectories(webRoot);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + webRoot + " or " + logDir, e);
        }
        watch = store.watch(changed -> {
            if (changed.equals(app)) {
                wake.release();
            }
        });
        worker = Thread.ofVirtual().name("skewless-web-builds").start(this::loop);
        return this;
    }

    /** Whether {@code version}'s build is in place. */
    public boolean built(String version) {
        return Files.isRegularFile(webRoot.resolve(version).resolve("index.html"));
    }

    private void loop() {
        while (!closed) {
            try {
                buildMissing();
                wake.tryAcquire(SCAN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("app", app).addKeyValue("action", "BuildWeb").addKeyValue("outcome", "failed")
                        .setCause(e).log("web builds: scanning the records failed; trying again");
            }
        }
    }

    /** Builds every missing version, newest first (the one about to be promoted matters most). */
    void buildMissing() throws InterruptedException {
        Optional<App> record = store.getApp(app);
        if (record.isEmpty() || record.get().spec().local() == null || record.get().spec().local().webBuild().isEmpty()) {
            return;
        }
        LocalSpec local = record.get().spec().local();
        List<AppVersion> versions = store.listVersions(app).stream()
                .filter(v -> v.status().phase() != Phase.Retired && !v.spec().revoked())
                .sorted(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
        for (AppVersion v : versions) {
            String id = v.metadata().name();
            Instant failed = failedAt.get(id);
            if (closed || built(id) || (failed != null && failed.plus(RETRY_AFTER).isAfter(Instant.now()))) {
                continue;
            }
            build(local, v);
        }
    }

    private void build(LocalSpec local, AppVersion v) throws InterruptedException {
        String id = v.metadata().name();
        Path target = webRoot.resolve(id);
        Path out = webRoot.resolve(".building-" + id + "-" + System.nanoTime());
        Path logFile = logDir.resolve("web-" + id + ".log");
        Map<String, String> vars = new HashMap<>(v.spec().env());
        vars.put("VERSION", id);
        vars.put("OUT", out.toString());
        List<String> command = local.webBuild().stream().map(a -> substitute(a, vars)).toList();
        long started = System.nanoTime();
        log.atInfo().addKeyValue("app", app).addKeyValue("version", id).addKeyValue("action", "BuildWeb")
                .addKeyValue("outcome", "started").addKeyValue("command", command).log("building the web client");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            pb.environment().putAll(v.spec().env());
            pb.environment().put("VERSION", id);
            Process p = pb.start();
            running = p;
            boolean done = p.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            running = null;
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("no result after " + BUILD_TIMEOUT.toMinutes() + " min");
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit code " + p.exitValue());
            }
            if (!Files.isRegularFile(out.resolve("index.html"))) {
                throw new IOException("it wrote no index.html into ${OUT}");
            }
            deleteTree(target);
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
            failedAt.remove(id);
            log.atInfo().addKeyValue("app", app).addKeyValue("version", id).addKeyValue("action", "BuildWeb")
                    .addKeyValue("outcome", "ok").addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
                    .log("web client built into " + target);
        } catch (IOException e) {
            failedAt.put(id, Instant.now());
            if (!closed) {
                log.atWarn().addKeyValue("app", app).addKeyValue("version", id).addKeyValue("action", "BuildWeb")
                        .addKeyValue("outcome", "failed").log("building the web client of " + id + " failed (" + e.getMessage()
                                + "); its output is in " + logFile + "; retrying in " + RETRY_AFTER.toSeconds() + " s");
            }
        } finally {
            running = null;
            deleteTree(out);
        }
    }

    static String substitute(String text, Map<String, String> vars) {
        String result = text;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            result = result.replace("${" + e.getKey() + "}", e.getValue());
        }
        return result;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", dir).log("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Stops the worker and any build in progress (with its child processes). */
    @Override
    public void close() {
        closed = true;
        Process p = running;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.atDebug().log("closing the store watch failed: " + e);
            }
        }
    }
}
