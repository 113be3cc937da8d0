package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Every AWS error code the providers meet maps to the kind the test cloud uses for it. */
class AwsFailuresTest {
    @ParameterizedTest
    @CsvSource({
        "Throttling, 400, Rate exceeded, THROTTLED",
        "ThrottlingException, 400, Rate exceeded, THROTTLED",
        "TooManyRequestsException, 400, slow down, THROTTLED",
        "SomethingElse, 429, slow down, THROTTLED",
        "ServiceUnavailable, 503, try later, TRANSIENT",
        "InternalFailure, 500, oops, TRANSIENT",
        "PriorityInUse, 400, The specified priority is in use., CONFLICT",
        "ResourceInUse, 400, in use by a listener or a rule, CONFLICT",
        "DuplicateTargetGroupName, 400, exists, CONFLICT",
        "InvalidParameterException, 400, Creation of service was not idempotent., CONFLICT",
        "TooManyRules, 400, quota, QUOTA",
        "TooManyTargetGroups, 400, quota, QUOTA",
        "RuleNotFound, 400, gone, NOT_FOUND",
        "TargetGroupNotFound, 400, gone, NOT_FOUND",
        "ServiceNotFoundException, 400, gone, NOT_FOUND",
        "ClusterNotFoundException, 400, no cluster, INVALID",
        "ValidationError, 400, bad, INVALID",
        "ClientException, 400, bad image, INVALID",
        "InvalidParameterException, 400, bad subnet, INVALID",
    })
    void classifiesServiceErrors(String code, int status, String message, Kind kind) {
        AwsServiceException e = AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
        ActionException a = AwsFailures.classify(e, "do it");
        assertThat(a.kind()).isEqualTo(kind);
        assertThat(a.code()).isEqualTo(code);
        assertThat(a.getMessage()).contains("do it").contains(message);
        assertThat(a.getCause()).isSameAs(e);
    }

    @Test
    void transportFailuresAreTransient() {
        assertThat(AwsFailures.classify(SdkClientException.create("Connection reset"), "x").kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(AwsFailures.classify(ApiCallTimeoutException.create(1000), "x").kind()).isEqualTo(Kind.TRANSIENT);
    }
}
