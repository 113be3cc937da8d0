package dev.skewless.router.alb;

import dev.skewless.aws.AwsFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * When each target group last served a request, from the ALB's CloudWatch {@code RequestCount}
 * metric (namespace {@code AWS/ApplicationELB}, dimensions {@code TargetGroup} and
 * {@code LoadBalancer}): one GetMetricData call for all of an App's groups per pass (up to 500
 * queries each), summed per period over the App's idle window.
 *
 * <p>ALB publishes {@code RequestCount} only for periods with requests, so a group with no
 * datapoint in the window reports the window's start (the router moves that to when it first saw a
 * younger group). A failure leaves traffic unknown for this pass, which only postpones idle expiry.
 */
public final class RequestCounts {
    private static final Logger LOG = LoggerFactory.getLogger(RequestCounts.class);
    /** GetMetricData takes at most 500 queries per call. */
    static final int QUERIES_PER_CALL = 500;
    /** Most datapoints we ask for per group and window, far below the API's 100,800. */
    private static final long POINTS_PER_WINDOW = 1440;

    private final CloudWatchClient cloudWatch;

    public RequestCounts(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /**
     * The latest time each group served a request within {@code [now - window, now]}, or the
     * window's start when it served none; empty when CloudWatch could not be read.
     *
     * @param loadBalancerArn the groups' load balancer
     * @param targetGroupArns the groups
     */
    public Optional<Map<String, Instant>> lastRequestAt(String loadBalancerArn, List<String> targetGroupArns, Duration window,
            Instant now) {
        if (targetGroupArns.isEmpty()) {
            return Optional.of(Map.of());
        }
        long periodSeconds = period(window);
        Instant start = now.minus(window);
        Map<String, Instant> out = new HashMap<>();
        try {
            for (int from = 0; from < targetGroupArns.size(); from += QUERIES_PER_CALL) {
                List<String> batch = targetGroupArns.subList(from, Math.min(targetGroupArns.size(), from + QUERIES_PER_CALL));
                List<MetricDataQuery> queries = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    String tg = batch.get(i);
                    queries.add(MetricDataQuery.builder().id("tg" + i).returnData(true).metricStat(s -> s
                            .metric(m -> m.namespace("AWS/ApplicationELB").metricName("RequestCount").dimensions(
                                    d -> d.name("TargetGroup").value(dimension(tg, "targetgroup/")),
                                    d -> d.name("LoadBalancer").value(dimension(loadBalancerArn, "loadbalancer/"))))
                            .period((int) periodSeconds).stat("Sum")).build());
                }
                String next = null;
                do {
                    String token = next;
                    GetMetricDataResponse r = cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(start).endTime(now)
                            .scanBy(ScanBy.TIMESTAMP_DESCENDING).nextToken(token));
                    for (MetricDataResult result : r.metricDataResults()) {
                        String tg = batch.get(Integer.parseInt(result.id().substring(2)));
                        for (int p = 0; p < result.timestamps().size(); p++) {
                            if (result.values().get(p) > 0) {
                                // A datapoint's timestamp starts its period; the requests may be up to its end.
                                Instant end = result.timestamps().get(p).plusSeconds(periodSeconds);
                                out.merge(tg, end.isAfter(now) ? now : end, (a, b) -> a.isAfter(b) ? a : b);
                            }
                        }
                    }
                    next = r.nextToken();
                } while (next != null);
            }
        } catch (SdkException e) {
            var failure = AwsFailures.classify(e, "read RequestCount");
            LOG.atWarn().setMessage("request counts unavailable; idle expiry waits").addKeyValue("kind", failure.kind())
                    .addKeyValue("code", failure.code()).addKeyValue("groups", targetGroupArns.size()).log();
            return Optional.empty();
        }
        for (String tg : targetGroupArns) {
            out.putIfAbsent(tg, start);
        }
        return Optional.of(out);
    }

    /** A whole number of minutes giving at most {@link #POINTS_PER_WINDOW} points over the window. */
    static long period(Duration window) {
        long minutes = Math.max(1, (window.toSeconds() + POINTS_PER_WINDOW * 60 - 1) / (POINTS_PER_WINDOW * 60));
        return minutes * 60;
    }

    /** {@code arn:...:targetgroup/name/id} → {@code targetgroup/name/id}; load balancers drop the prefix: {@code app/name/id}. */
    static String dimension(String arn, String resource) {
        String tail = arn.substring(arn.indexOf(resource));
        return "loadbalancer/".equals(resource) ? tail.substring(resource.length()) : tail;
    }
}
