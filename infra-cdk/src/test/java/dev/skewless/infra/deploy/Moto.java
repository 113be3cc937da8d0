package dev.skewless.infra.deploy;

import dev.skewless.testing.MotoServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The controller's shared {@link MotoServer} (one real moto_server per test JVM), as the deploy commands' clients see it. */
final class Moto {
    static final Region REGION = Region.of(MotoServer.REGION);

    private static final Moto SHARED = new Moto();

    private Moto() {}

    static Moto shared() {
        return SHARED;
    }

    /** Where requests go. */
    URI endpoint() {
        return MotoServer.shared().endpoint();
    }

    /** Clients of the deploy commands, pointed at this server. */
    AwsClients clients() {
        return new AwsClients(endpoint(), REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)));
    }

    /** Forgets every resource. */
    void reset() {
        MotoServer.shared().reset();
    }
}
