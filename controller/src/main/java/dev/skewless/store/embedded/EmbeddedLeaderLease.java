package dev.skewless.store.embedded;

import dev.skewless.store.Fence;
import dev.skewless.store.LeaderLease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderLease} for one machine: an exclusive OS lock on {@code <store dir>/leader.lock}, and
 * the current holder and fencing token in {@code <store dir>/leader.token}.
 *
 * <p>The OS releases the lock when the holding process dies, however it dies (even {@code kill
 * -9}), so there is no expiry, no heartbeat and no clock involved: the lease is held exactly as
 * long as the lock. A second {@code ./skewless dev} on the same directory therefore cannot act
 * (its {@link #tryAcquire()} answers false) until the first one is gone. Every acquisition writes
 * {@code <holder> <token>} into the file with the token one above the previous one, so tokens grow
 * across runs, and {@link EmbeddedVersionStore}'s fenced writes check that file under their write
 * lock.
 *
 * <p>Two files, because on Linux closing <em>any</em> descriptor of a file drops every POSIX lock
 * the process holds on it: the lock file is opened by nothing but the holding channel, and a lease
 * object never opens it while another lease object of this JVM holds it.
 */
public final class EmbeddedLeaderLease implements LeaderLease {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedLeaderLease.class);
    /** The lease's name in fences. */
    public static final String NAME = "embedded";
    private static final String LOCK_FILE = "leader.lock";
    private static final String TOKEN_FILE = "leader.token";
    /** Directories whose lease this JVM holds (see the class comment for why this is needed). */
    private static final java.util.Set<Path> HELD_IN_THIS_JVM = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Who holds (or last held) the lease, as written in the file. */
    record Holding(String holder, long token) {}

    private final Path dir;
    private final String holder;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private FileChannel channel;
    private FileLock lock;
    private long token;

    /** A lease on the store directory {@code dir}, with a holder id unique to this instance. */
    public EmbeddedLeaderLease(Path dir) {
        this.dir = realPath(Objects.requireNonNull(dir, "dir"));
        this.holder = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The live process holding the lease on {@code dir}, if any: how the CLI finds the store of a
     * running {@code ./skewless dev}. The pid comes from the token file; a pid that is no longer
     * alive (a dev killed with -9 leaves its file behind) counts as nobody.
     */
    public static Optional<ProcessHandle> runningHolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return currentHolding(realPath(dir)).flatMap(h -> {
            int at = h.holder().indexOf('@');
            if (at <= 0) {
                return Optional.empty();
            }
            try {
                return ProcessHandle.of(Long.parseLong(h.holder().substring(0, at)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(ProcessHandle::isAlive);
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public boolean tryAcquire() {
        long acquired;
        synchronized (this) {
            if (isHeld()) {
                return true;
            }
            if (!HELD_IN_THIS_JVM.add(dir)) {
                return false; // another lease object of this JVM holds it
            }
            FileChannel c = null;
            try {
                c = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = c.tryLock();
                if (l == null) {
                    c.close();
                    HELD_IN_THIS_JVM.remove(dir);
                    return false;
                }
                acquired = currentHolding(dir).map(Holding::token).orElse(0L) + 1;
                writeHolding(new Holding(holder, acquired));
                channel = c;
                lock = l;
                token = acquired;
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
                HELD_IN_THIS_JVM.remove(dir);
                throw e instanceof IOException io ? new UncheckedIOException("cannot take the lease " + dir.resolve(LOCK_FILE), io)
                        : (RuntimeException) e;
            }
        }
        log.atInfo().addKeyValue("holder", holder).addKeyValue("token", acquired).addKeyValue("dir", dir).log("leader lease acquired");
        listeners.forEach(l -> l.acquired(acquired));
        return true;
    }

    /** Nothing to extend: the lock lasts as long as this process keeps it. */
    @Override
    public boolean renew() {
        return isHeld();
    }

    @Override
    public synchronized boolean isHeld() {
        return lock != null && lock.isValid();
    }

    @Override
    public synchronized OptionalLong fencingToken() {
        return isHeld() ? OptionalLong.of(token) : OptionalLong.empty();
    }

    @Override
    public synchronized Optional<Fence> fence() {
        return isHeld() ? Optional.of(new Fence(NAME, holder, token)) : Optional.empty();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        boolean wasHeld;
        synchronized (this) {
            wasHeld = isHeld();
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                log.atWarn().setCause(e).log("releasing the leader lease failed; the OS releases it when this process exits");
            }
            if (lock != null) {
                HELD_IN_THIS_JVM.remove(dir);
            }
            lock = null;
            channel = null;
        }
        if (wasHeld) {
            log.atInfo().addKeyValue("holder", holder).log("leader lease released");
            listeners.forEach(Listener::lost);
        }
    }

    /** What the token file of the store directory {@code dir} says now (never the lock file: see above). */
    static Optional<Holding> currentHolding(Path dir) {
        try {
            return parse(Files.readString(dir.resolve(TOKEN_FILE), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(TOKEN_FILE), e);
        }
    }

    /** Replaces the token file atomically. */
    private void writeHolding(Holding h) throws IOException {
        Path temp = dir.resolve("." + TOKEN_FILE + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap((h.holder() + " " + h.token() + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(temp, dir.resolve(TOKEN_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private static Path realPath(Path dir) {
        try {
            Files.createDirectories(dir);
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir, e);
        }
    }

    private static Optional<Holding> parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Holding(parts[0], Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        int at = name.indexOf('@');
        return at < 0 ? "localhost" : name.substring(at + 1);
    }
}
