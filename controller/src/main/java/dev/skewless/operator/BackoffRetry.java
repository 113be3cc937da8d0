package dev.skewless.operator;

import dev.skewless.engine.Backoff;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JOSDK's retry of failed passes, with the delays of the controller's engine: the n-th consecutive
 * failure of an App waits {@link Backoff#delay} (exponential, capped, jittered), and there is no
 * last attempt, as in controller mode, where an App keeps being retried at the cap until it
 * converges. A pass that succeeds ends the execution (JOSDK starts a fresh one on the next failure).
 */
public record BackoffRetry(Backoff backoff) implements Retry {

    public BackoffRetry {
        Objects.requireNonNull(backoff, "backoff");
    }

    @Override
    public RetryExecution initExecution() {
        return new Execution(backoff);
    }

    /** One run of consecutive failures of one App; JOSDK calls it from one thread at a time. */
    private static final class Execution implements RetryExecution {
        private final Backoff backoff;
        private int failures;

        Execution(Backoff backoff) {
            this.backoff = backoff;
        }

        @Override
        public Optional<Long> nextDelay() {
            long millis = backoff.delay(failures, ThreadLocalRandom.current()).toMillis();
            failures++;
            return Optional.of(millis);
        }

        @Override
        public int getAttemptCount() {
            return failures;
        }

        @Override
        public boolean isLastAttempt() {
            return false;
        }
    }
}
