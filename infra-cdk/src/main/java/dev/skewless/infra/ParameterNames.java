package dev.skewless.infra;

import java.util.List;

/**
 * The SSM parameters the stacks write and the deploy commands read: {@code /skewless/<app>/<name>}.
 * They are how an ARN gets from CloudFormation to a record or a command without anyone copying it.
 */
public final class ParameterNames {
    /** ECS cluster name. */
    public static final String CLUSTER = "cluster";
    /** Comma-separated subnet ids the versions' tasks run in. */
    public static final String SUBNETS = "subnets";
    /** Security group of the versions' tasks. */
    public static final String TASK_SECURITY_GROUP = "task-security-group";
    /** Execution role of the versions' tasks (pulls the image, writes logs, reads secrets). */
    public static final String EXECUTION_ROLE_ARN = "execution-role-arn";
    /** Task role of the versions' tasks (the app's own AWS permissions). */
    public static final String TASK_ROLE_ARN = "task-role-arn";
    /** Log group of the versions. */
    public static final String LOG_GROUP = "log-group";
    /** The listener the App's rules go on. */
    public static final String LISTENER_ARN = "listener-arn";
    /** The VPC of the target groups. */
    public static final String VPC_ID = "vpc-id";
    /** The DynamoDB table of the records ({@code SKEWLESS_TABLE}). */
    public static final String TABLE = "table";
    /** ECR repository URI of the api image (a version's image is {@code <uri>:<version>}). */
    public static final String API_REPOSITORY_URI = "api-repository-uri";
    /** ECR repository URI of the controller image. */
    public static final String CONTROLLER_REPOSITORY_URI = "controller-repository-uri";
    /**
     * The controller image tag the backend stack runs, written by the same stack update that sets
     * its task definition (so the two never disagree): every later cdk call passes it back, and
     * no call synthesizes the backend with another tag by accident.
     */
    public static final String CONTROLLER_IMAGE_TAG = "controller-image-tag";
    /** The controller's ECS service name. */
    public static final String CONTROLLER_SERVICE = "controller-service";
    /** The ALB's DNS name. */
    public static final String LOAD_BALANCER_DNS = "load-balancer-dns";
    /** The App record (JSON) with every infrastructure field filled in. */
    public static final String APP_MANIFEST = "app-manifest";
    /** Bucket of the web build. */
    public static final String WEB_BUCKET = "web-bucket";
    /** CloudFront distribution id. */
    public static final String DISTRIBUTION_ID = "distribution-id";
    /** CloudFront distribution domain name. */
    public static final String DISTRIBUTION_DOMAIN = "distribution-domain";
    /** Days superseded web assets are kept (the lifecycle rule's expiration). */
    public static final String ASSET_RETENTION_DAYS = "asset-retention-days";

    /** Written by the backend stack. */
    public static final List<String> BACKEND = List.of(CLUSTER, SUBNETS, TASK_SECURITY_GROUP, EXECUTION_ROLE_ARN, TASK_ROLE_ARN,
            LOG_GROUP, LISTENER_ARN, VPC_ID, TABLE, API_REPOSITORY_URI, CONTROLLER_REPOSITORY_URI, CONTROLLER_IMAGE_TAG,
            CONTROLLER_SERVICE, LOAD_BALANCER_DNS, APP_MANIFEST);
    /** Written by the frontend stack. */
    public static final List<String> FRONTEND = List.of(WEB_BUCKET, DISTRIBUTION_ID, DISTRIBUTION_DOMAIN, ASSET_RETENTION_DAYS);

    private ParameterNames() {}

    /** {@code /skewless/<app>/} */
    public static String prefix(String app) {
        return "/skewless/" + app + "/";
    }

    /** {@code /skewless/<app>/<name>} */
    public static String path(String app, String name) {
        return prefix(app) + name;
    }
}
