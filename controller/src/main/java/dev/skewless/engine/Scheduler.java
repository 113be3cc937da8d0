package dev.skewless.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. The engine's only source of timers, so tests can replace it with one
 * driven by a manual clock.
 */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} once, about {@code delay} from now. Tasks must be quick. */
    void schedule(Duration delay, Runnable task);

    /** Stops running tasks. Scheduling afterwards is ignored. */
    @Override
    default void close() {}

    /** A scheduler on one daemon platform thread. */
    static Scheduler daemon(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new ExecutorScheduler(executor);
    }

    /** A {@link Scheduler} backed by a {@link ScheduledExecutorService} it owns. */
    record ExecutorScheduler(ScheduledExecutorService executor) implements Scheduler {
        @Override
        public void schedule(Duration delay, Runnable task) {
            if (executor.isShutdown()) {
                return;
            }
            try {
                executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Shut down between the check and the call: dropping the task is what close() promises.
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
