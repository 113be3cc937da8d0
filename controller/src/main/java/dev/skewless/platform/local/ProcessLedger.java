package dev.skewless.platform.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file listing every process the platform started (and their descendants) as {@code <pid>
 * <start time in epoch millis>}, rewritten when the set changes. A run that dies without running
 * its shutdown hook ({@code kill -9}) leaves it behind, and the next run kills the processes in it
 * that are still alive <em>and</em> started at the recorded time (so a recycled pid is left alone).
 */
final class ProcessLedger {
    private static final Logger log = LoggerFactory.getLogger(ProcessLedger.class);

    private final Path file;
    private List<String> written = List.of();

    ProcessLedger(Path file) {
        this.file = file;
    }

    /** Kills what a previous run left running; returns how many processes were killed. */
    int killLeftovers() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            log.atWarn().setCause(e).addKeyValue("file", file).log("cannot read the process ledger of a previous run");
            return 0;
        }
        List<ProcessHandle> killed = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 2) {
                continue;
            }
            try {
                long pid = Long.parseLong(parts[0]);
                long started = Long.parseLong(parts[1]);
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent() && handle.get().isAlive()
                        && handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started) {
                    handle.get().descendants().forEach(d -> {
                        d.destroyForcibly();
                        killed.add(d);
                    });
                    handle.get().destroyForcibly();
                    killed.add(handle.get());
                    log.atWarn().addKeyValue("pid", pid).log("killed a process left running by a previous run");
                }
            } catch (NumberFormatException e) {
                // not a ledger line
            }
        }
        for (ProcessHandle p : killed) {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS); // gone before this run starts its own
            } catch (Exception e) {
                log.atWarn().addKeyValue("pid", p.pid()).log("a leftover process did not exit after SIGKILL");
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.atWarn().setCause(e).addKeyValue("file", file).log("cannot remove the process ledger of a previous run");
        }
        return killed.size();
    }

    /** Replaces the ledger with {@code processes} (only when it changed). */
    void record(Collection<ProcessHandle> processes) {
        List<String> lines = new ArrayList<>();
        for (ProcessHandle p : processes) {
            p.info().startInstant().ifPresent(t -> lines.add(p.pid() + " " + t.toEpochMilli()));
        }
        lines.sort(null);
        if (lines.equals(written)) {
            return;
        }
        try {
            if (lines.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                Path temp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(temp, lines, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            written = List.copyOf(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the process ledger " + file, e);
        }
    }
}
