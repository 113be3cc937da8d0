package dev.skewless.model;

/** Tri-state status of a {@link Condition}, as in Kubernetes and ACK. */
public enum ConditionStatus {
    True,
    False,
    Unknown
}
