package dev.skewless.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts every HTTP attempt the SDK makes as {@code skewless.aws.calls}, tagged {@code service},
 * {@code operation} and {@code outcome} ({@code ok}, {@code throttled}, {@code error}).
 *
 * <p>It is an SDK {@link MetricPublisher} rather than an interceptor because the SDK's own metrics
 * already classify each attempt ({@link CoreMetric#ERROR_TYPE}: throttling by status 429 and by
 * error code alike, for JSON and XML protocols), which an interceptor would have to re-derive from
 * response bodies. Attempts, not API calls, are counted: AWS throttles and bills attempts, and a
 * throttled attempt the SDK retried successfully must still show up. Sync clients publish before
 * the call returns, so counts are current when a call has returned.
 */
public final class AwsCallMetrics implements MetricPublisher {
    /** The counter's name. */
    public static final String CALLS = "skewless.aws.calls";

    private final MeterRegistry registry;

    public AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry the counter lives in. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call.metricValues(CoreMetric.SERVICE_ID), "unknown");
        String operation = first(call.metricValues(CoreMetric.OPERATION_NAME), "unknown");
        List<MetricCollection> attempts = call.children().stream().filter(c -> "ApiCallAttempt".equals(c.name())).toList();
        if (attempts.isEmpty()) {
            // Failed before anything was sent (e.g. no credentials): still a call that did not work.
            boolean ok = Boolean.TRUE.equals(first(call.metricValues(CoreMetric.API_CALL_SUCCESSFUL), false));
            increment(service, operation, ok ? "ok" : "error");
            return;
        }
        for (MetricCollection attempt : attempts) {
            increment(service, operation, outcome(first(attempt.metricValues(CoreMetric.ERROR_TYPE), null)));
        }
    }

    /** Calls counted so far for one service, operation and outcome. */
    public double count(String service, String operation, String outcome) {
        Counter c = registry.find(CALLS).tags("service", service, "operation", operation, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    /** Calls counted so far for one operation (any service) and outcome. */
    public double count(String operation, String outcome) {
        return registry.find(CALLS).tags("operation", operation, "outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Calls counted so far for one operation, any outcome. */
    public double count(String operation) {
        return registry.find(CALLS).tags("operation", operation).counters().stream().mapToDouble(Counter::count).sum();
    }

    private void increment(String service, String operation, String outcome) {
        Counter.builder(CALLS).description("AWS API call attempts by service, operation and outcome")
                .tags("service", service, "operation", operation, "outcome", outcome).register(registry).increment();
    }

    private static String outcome(String errorType) {
        if (errorType == null) {
            return "ok";
        }
        // SdkErrorType names: Throttling, ServerError, ConfiguredTimeout, IO, Other.
        return "Throttling".equals(errorType) ? "throttled" : "error";
    }

    private static <T> T first(List<T> values, T otherwise) {
        return values.isEmpty() ? otherwise : values.getFirst();
    }

    @Override
    public void close() {
        // The registry belongs to whoever passed it in.
    }
}
