package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void burstThenRefillAtTheRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(2, 3, now::get);
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).as("empty: half a second to the next token at 2/s").isEqualTo(500_000_000L);
        now.addAndGet(500_000_000L);
        assertThat(bucket.tryTake()).isZero();
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).as("refills only up to the burst").isZero();
        }
        assertThat(bucket.tryTake()).isPositive();
    }

    @Test
    void acquireWaitsForTheNextToken() {
        TokenBucket bucket = new TokenBucket(50, 1);
        bucket.acquire();
        assertThat(bucket.acquire().toMillis()).isBetween(5L, 100L);
    }

    @Test
    void readsAndMutationsAreToldApart() {
        assertThat(CallRates.isRead("DescribeRules")).isTrue();
        assertThat(CallRates.isRead("ListServices")).isTrue();
        assertThat(CallRates.isRead("GetMetricData")).isTrue();
        assertThat(CallRates.isRead("CreateRule")).isFalse();
        assertThat(CallRates.isRead("SetRulePriorities")).isFalse();
    }
}
