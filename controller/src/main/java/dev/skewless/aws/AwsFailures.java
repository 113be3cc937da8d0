package dev.skewless.aws;

import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into {@link ActionException}s with the kind the engine acts on and the AWS
 * error code, the same kinds and codes the in-memory test cloud uses.
 */
public final class AwsFailures {
    /** Codes meaning "something else holds it": retry after a fresh look. */
    private static final Set<String> CONFLICT_CODES = Set.of("PriorityInUse", "ResourceInUse", "ResourceInUseException",
            "DuplicateTargetGroupName", "DuplicateListener", "DuplicateLoadBalancerName", "ServiceNotActiveException",
            "ConcurrentModificationException", "UpdateInProgressException");
    /** Not-found codes that point at a spec mistake rather than a resource that went away. */
    private static final Set<String> INVALID_NOT_FOUND = Set.of("ClusterNotFoundException");

    private AwsFailures() {}

    /** The ActionException for {@code e}, with {@code what} (the action attempted) in its message. */
    public static ActionException classify(SdkException e, String what) {
        if (e instanceof AwsServiceException ase) {
            String code = code(ase);
            int status = ase.statusCode();
            String message = what + ": " + code + ": " + messageOf(ase);
            if (ase.isThrottlingException() || code.startsWith("Throttl") || "TooManyRequestsException".equals(code)
                    || "RequestLimitExceeded".equals(code) || status == 429) {
                return new ActionException(Kind.THROTTLED, code, message, e);
            }
            if (status >= 500) {
                return new ActionException(Kind.TRANSIENT, code, message, e);
            }
            if (CONFLICT_CODES.contains(code) || isDuplicateService(code, ase)) {
                return new ActionException(Kind.CONFLICT, code, message, e);
            }
            if (code.startsWith("TooMany") || code.endsWith("LimitExceeded") || code.endsWith("LimitExceededException")) {
                return new ActionException(Kind.QUOTA, code, message, e);
            }
            if (!INVALID_NOT_FOUND.contains(code) && (code.endsWith("NotFound") || code.endsWith("NotFoundException"))) {
                return new ActionException(Kind.NOT_FOUND, code, message, e);
            }
            return new ActionException(Kind.INVALID, code, message, e);
        }
        // Connection refused or reset, timeouts, unreadable responses: nothing says the request was wrong.
        String code = e instanceof SdkClientException ? "ClientError" : e.getClass().getSimpleName();
        return new ActionException(Kind.TRANSIENT, code, what + ": " + e.getMessage(), e);
    }

    /** The AWS error code, or the HTTP status when the service sent none. */
    public static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null || code.isBlank() ? "Http" + e.statusCode() : code;
    }

    private static String messageOf(AwsServiceException e) {
        String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return m == null ? e.getMessage() : m;
    }

    /**
     * ECS refuses a second ACTIVE service of the same name with a generic
     * InvalidParameterException ("Creation of service was not idempotent"): a conflict, not a
     * spec mistake.
     */
    private static boolean isDuplicateService(String code, AwsServiceException e) {
        String m = messageOf(e);
        return "InvalidParameterException".equals(code) && m != null && m.contains("not idempotent");
    }
}
