package dev.skewless.testing;

import dev.skewless.engine.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} driven by a {@link TestingClock}: tasks run on the test's thread when
 * {@link #advance} moves the clock past their due time, in due-time order.
 */
public final class TestingScheduler implements Scheduler {
    private final TestingClock clock;
    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::sequence));
    private long sequence;
    private boolean closed;

    public TestingScheduler(TestingClock clock) {
        this.clock = clock;
    }

    /** The clock this scheduler reads. */
    public TestingClock clock() {
        return clock;
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        if (!closed) {
            tasks.add(new Task(clock.instant().plus(delay), sequence++, task));
        }
    }

    /**
     * Advances the clock by {@code d}, running every task that falls due on the way with the
     * clock set to its due time (tasks scheduled by those tasks run too if they fall due in time).
     */
    public void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due().isAfter(target)) {
                    break;
                }
                tasks.poll();
            }
            if (next.due().isAfter(clock.instant())) {
                clock.set(next.due());
            }
            next.task().run();
        }
        clock.set(target);
    }

    /** Runs the tasks already due without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Due times of the tasks not yet run, earliest first. */
    public synchronized List<Instant> pending() {
        List<Task> copy = new ArrayList<>(tasks);
        copy.sort(tasks.comparator());
        return copy.stream().map(Task::due).toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    private record Task(Instant due, long sequence, Runnable task) {}
}
