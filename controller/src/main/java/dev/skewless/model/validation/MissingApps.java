package dev.skewless.model.validation;

/**
 * What a version whose App is neither stored nor applied with it means.
 *
 * <p>{@code skewless apply} sees the whole input at once, so a missing App is a mistake
 * ({@link #REFUSED}). The Kubernetes API sees one object at a time, in whatever order
 * {@code kubectl apply -f dir/} or a GitOps tool sends them, so its admission webhook lets the
 * version in and the version waits for its App ({@link #AWAITED}); every other rule still holds.
 */
public enum MissingApps {
    /** A problem at {@code spec.app}: include the App or apply it first. */
    REFUSED,
    /** Not a problem: the App may come later. Rules that need the App are checked when it does. */
    AWAITED
}
