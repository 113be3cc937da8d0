package dev.skewless.aws;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Takes a token from the bucket of the call's service and operation before every HTTP attempt
 * (retries included: AWS counts each one against our quota). Shared by all clients of one
 * {@link AwsClientFactory}, so two providers calling the same operation share its budget.
 */
public final class CallThrottle implements ExecutionInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(CallThrottle.class);
    private static final Duration LOG_WAITS_OVER = Duration.ofMillis(500);

    private final CallRates rates;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public CallThrottle(CallRates rates) {
        this.rates = rates;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Duration waited = buckets.computeIfAbsent(service + ":" + operation, k -> CallRates.isRead(operation)
                ? new TokenBucket(rates.describePerSecond(), rates.describeBurst())
                : new TokenBucket(rates.mutatePerSecond(), rates.mutateBurst())).acquire();
        if (waited.compareTo(LOG_WAITS_OVER) > 0) {
            LOG.atInfo().setMessage("waited for an AWS call token").addKeyValue("service", service)
                    .addKeyValue("operation", operation).addKeyValue("waitedMs", waited.toMillis()).log();
        }
    }
}
