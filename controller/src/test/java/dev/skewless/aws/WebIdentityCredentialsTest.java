package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;

/**
 * IRSA in Kubernetes mode: EKS mounts a service account token and sets {@code AWS_ROLE_ARN} and
 * {@code AWS_WEB_IDENTITY_TOKEN_FILE}; the SDK's default chain then exchanges the token with STS
 * (AssumeRoleWithWebIdentity). That provider works only with the {@code sts} module on the class
 * path; here it does, against moto's STS.
 */
class WebIdentityCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void aServiceAccountTokenIsExchangedForSessionCredentials() throws Exception {
        MotoServer moto = MotoServer.shared();
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6c2tld2xlc3M6c2tld2xlc3Mtb3BlcmF0b3IifQ.c2ln");
        // The STS client the provider builds follows the SDK's endpoint and region settings, as every client does.
        System.setProperty("aws.endpointUrlSts", moto.endpoint().toString());
        System.setProperty("aws.region", MotoServer.REGION);
        try (WebIdentityTokenFileCredentialsProvider provider = WebIdentityTokenFileCredentialsProvider.builder()
                .roleArn("arn:aws:iam::123456789012:role/skewless-operator").roleSessionName("skewless-operator")
                .webIdentityTokenFile(token).build()) {

            AwsCredentials credentials = provider.resolveCredentials();

            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(credentials.accessKeyId()).isNotBlank();
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isNotBlank();
        } finally {
            System.clearProperty("aws.endpointUrlSts");
            System.clearProperty("aws.region");
        }
    }
}
