package dev.skewless.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events ({@code core/v1}) on App and AppVersion records, so
 * {@code kubectl describe appversion shop.v2} and {@code kubectl get events} show what the
 * operator decided. An event that cannot be written is logged and dropped: events are a courtesy,
 * never a reason for a pass to fail.
 */
final class KubernetesEvents {
    private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
    /** {@code source.component} and {@code reportingComponent} of every event. */
    static final String COMPONENT = "skewless-operator";

    private final KubernetesClient client;
    private final String instance;
    private final InstantSource clock;

    KubernetesEvents(KubernetesClient client, String instance, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records {@code note} on {@code involved} (a record as read, with its uid). */
    void record(HasMetadata involved, RecordEvents.Note note) {
        String namespace = involved.getMetadata().getNamespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        var event = new EventBuilder()
                .withNewMetadata()
                // The API server has no generateName for events in every version; a random suffix is unique enough.
                .withName(involved.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()).toLowerCase(Locale.ROOT))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(involved.getApiVersion())
                        .withKind(involved.getKind())
                        .withName(involved.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(involved.getMetadata().getUid())
                        .withResourceVersion(involved.getMetadata().getResourceVersion())
                        .build())
                .withType(note.type())
                .withReason(note.reason())
                .withMessage(truncated(note.message()))
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
            log.atDebug().addKeyValue("kind", involved.getKind()).addKeyValue("name", involved.getMetadata().getName())
                    .addKeyValue("reason", note.reason()).log("event recorded");
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("kind", involved.getKind()).addKeyValue("name", involved.getMetadata().getName())
                    .addKeyValue("reason", note.reason()).addKeyValue("error", e.toString()).log("recording an event failed; dropped");
        }
    }

    /** events.k8s.io refuses notes over 1 KiB; a core event stays within that too, so both APIs show it whole. */
    private static String truncated(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }
}
