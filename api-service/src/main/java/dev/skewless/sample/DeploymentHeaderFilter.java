package dev.skewless.sample;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Stamps {@code x-deployment-id: <version>} on every response, errors included (a 404 or a 500 is an
 * answer from this version too): the web client compares it with its own build id to notice skew.
 * Server filters see the response after errors have been turned into responses, so one filter covers
 * them all.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class DeploymentHeaderFilter {

    private final Deployment deployment;

    DeploymentHeaderFilter(Deployment deployment) {
        this.deployment = deployment;
    }

    @ResponseFilter
    void stamp(MutableHttpResponse<?> response) {
        response.getHeaders().set(Deployment.HEADER, deployment.id());
    }
}
