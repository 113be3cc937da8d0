package dev.skewless.operator.admission;

/**
 * A request to the webhook that is not an {@code admission.k8s.io/v1} AdmissionReview the API
 * server would send. The server answers it with HTTP 400; with {@code failurePolicy: Fail} the
 * API server then refuses the write, naming the webhook.
 */
public class MalformedReviewException extends RuntimeException {
    /** @param message what is wrong with the request */
    public MalformedReviewException(String message) {
        super(message);
    }
}
