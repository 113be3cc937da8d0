package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.engine.Backoff;
import dev.skewless.model.validation.Problem;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's pure parts: its settings from the environment, the retry, the Valid condition. */
class OperatorPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void settingsComeFromTheEnvironment() {
        OperatorSettings s = OperatorSettings.fromEnvironment(Map.of("SKEWLESS_NAMESPACES", " shop, blog ,,",
                "SKEWLESS_LEASE_NAME", "skewless-blue", "SKEWLESS_LEASE_NAMESPACE", "ops"));
        assertThat(s.namespaces()).containsExactlyInAnyOrder("shop", "blog");
        assertThat(s.leaseName()).isEqualTo("skewless-blue");
        assertThat(s.leaseNamespace()).isEqualTo("ops");
        assertThat(OperatorSettings.fromEnvironment(Map.of()).namespaces()).isEmpty();
        assertThat(OperatorSettings.fromEnvironment(Map.of("SKEWLESS_NAMESPACES", "*")).allNamespaces()).isTrue();
        assertThatThrownBy(() -> OperatorSettings.DEFAULT.withNamespaces(Set.of("*", "shop")))
                .hasMessageContaining("'*' (every namespace) cannot be combined");
        assertThatThrownBy(() -> OperatorSettings.DEFAULT.withLeaseTimings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("leaseDuration > renewDeadline > retryPeriod");
    }

    @Test
    void theRetryIsTheEnginesBackoffAndNeverGivesUp() {
        RetryExecution retry = new BackoffRetry(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Backoff.Jitter.NONE)).initExecution();
        List<Long> delays = java.util.stream.Stream.generate(() -> retry.nextDelay().orElseThrow()).limit(6).toList();
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
        assertThat(retry.getAttemptCount()).isEqualTo(6);
        assertThat(retry.isLastAttempt()).isFalse();
    }

    @Test
    void validFalseListsEveryProblemKeepsOtherConditionsAndItsTransitionTime() throws Exception {
        JsonNode status = JSON.readTree("""
                {"phase": "Live", "conditions": [{"type": "Synced", "status": "True", "reason": "Synced"}]}""");
        List<Problem> problems = List.of(new Problem("App shop: spec.router.prioritys", "unknown field"),
                new Problem("AppVersion shop.v1: spec.replicas", "unknown field"));
        ObjectNode invalid = RecordValidity.invalid(status, problems, Instant.parse("2026-12-04T10:00:00.5Z"));
        assertThat(invalid.get("phase").asText()).isEqualTo("Live");
        assertThat(invalid.get("conditions")).hasSize(2);
        assertThat(RecordValidity.invalidMessage(invalid)).isEqualTo(
                "2 problems: App shop: spec.router.prioritys: unknown field; AppVersion shop.v1: spec.replicas: unknown field");
        assertThat(invalid.get("conditions").get(1).get("lastTransitionTime").asText()).isEqualTo("2026-12-04T10:00:00Z");

        ObjectNode later = RecordValidity.invalid(invalid, problems.subList(0, 1), Instant.parse("2026-12-04T11:00:00Z"));
        assertThat(later.get("conditions").get(1).get("lastTransitionTime").asText()).as("still False since then").isEqualTo("2026-12-04T10:00:00Z");
        assertThat(RecordValidity.invalidMessage(later)).startsWith("1 problem: ");

        ObjectNode cleared = RecordValidity.cleared(later);
        assertThat(RecordValidity.invalidMessage(cleared)).isNull();
        assertThat(cleared.get("conditions")).hasSize(1);
        assertThat(RecordValidity.invalid(null, problems, Instant.EPOCH).get("conditions")).hasSize(1);
    }
}
