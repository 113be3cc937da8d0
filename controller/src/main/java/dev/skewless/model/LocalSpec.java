package dev.skewless.model;

import java.util.List;
import java.util.Map;

/**
 * How {@code ./skewless dev} starts one version of the App as a local process instead of an ECS
 * service.
 *
 * <p>In {@code command}, {@code env} and {@code webBuild}, {@code ${VERSION}} (the version id),
 * {@code ${PORT}} (the task's port; not in {@code webBuild}), {@code ${OUT}} (the build's output
 * directory; only in {@code webBuild}) and {@code ${NAME}} for any variable of the version's
 * {@code spec.env} are substituted, so one App-level line serves every version.
 *
 * @param command  the command line of one task
 * @param env      extra environment for the process (the version's {@code spec.env} comes first)
 * @param webBuild optional: the command that builds this version's web client into {@code ${OUT}};
 *                 the local router serves every retained version's build side by side, as S3 and
 *                 CloudFront do in production. Empty for an App without a web client
 */
public record LocalSpec(List<String> command, Map<String, String> env, List<String> webBuild) {
    public LocalSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        webBuild = webBuild == null ? List.of() : List.copyOf(webBuild);
    }

    /** A spec with no web build. */
    public LocalSpec(List<String> command, Map<String, String> env) {
        this(command, env, List.of());
    }
}
