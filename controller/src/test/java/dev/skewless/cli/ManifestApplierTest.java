package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.cli.ManifestApplier.Change;
import dev.skewless.cli.ManifestApplier.Outcome;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingVersionStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestApplierTest {
    private final TestingVersionStore store = new TestingVersionStore(InstantSource.fixed(Instant.parse("2026-11-25T10:00:00Z")));
    private final ManifestApplier applier = new ManifestApplier(store);

    private static final String APP = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.app("shop"));
    private static final String V1 = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.version("shop", "v1"));
    private static final String V2 = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.version("shop", "v2"));

    private ManifestApplier.Report apply(String text, boolean dryRun) {
        return applier.apply(ManifestReader.read(text), dryRun);
    }

    @Test
    void appliesAppsBeforeVersionsWhateverTheOrderOfTheInput() {
        ManifestApplier.Report report = apply(V1 + "---\n" + V2 + "---\n" + APP, false);

        assertThat(report.outcomes()).containsExactly(
                new Outcome("App", "shop", Change.CREATED),
                new Outcome("AppVersion", "shop/v1", Change.CREATED),
                new Outcome("AppVersion", "shop/v2", Change.CREATED));
        assertThat(report.lines()).containsExactly("App shop created", "AppVersion shop/v1 created", "AppVersion shop/v2 created");
        assertThat(store.listVersions("shop")).hasSize(2);
        assertThat(store.specWrites()).isEqualTo(3);
    }

    @Test
    void applyingTheSameInputAgainWritesNothing() {
        apply(APP + "---\n" + V1, false);
        int before = store.writes();

        ManifestApplier.Report again = apply(APP + "---\n" + V1, false);

        assertThat(again.outcomes()).extracting(Outcome::change).containsOnly(Change.UNCHANGED);
        assertThat(again.changedAnything()).isFalse();
        assertThat(store.writes()).isEqualTo(before);
    }

    @Test
    void reportsWhatChanged() {
        apply(APP + "---\n" + V1, false);

        ManifestApplier.Report report = apply(APP + "---\n" + V1.replace("desiredCount: 2", "desiredCount: 3") + "---\n" + V2, false);

        assertThat(report.lines()).containsExactly("App shop unchanged", "AppVersion shop/v1 changed", "AppVersion shop/v2 created");
        assertThat(store.getVersion(new VersionKey("shop", "v1")).orElseThrow().spec().desiredCount()).isEqualTo(3);
        assertThat(store.getVersion(new VersionKey("shop", "v1")).orElseThrow().metadata().generation()).isEqualTo(2);
    }

    @Test
    void aLabelChangeIsAChange() {
        apply(APP, false);

        ManifestApplier.Report report = apply(APP.replace("  name: shop\n", "  name: shop\n  labels: {team: web}\n"), false);

        assertThat(report.lines()).containsExactly("App shop changed");
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndWritesNothing() {
        apply(APP, false);
        int before = store.writes();

        ManifestApplier.Report report = apply(APP + "---\n" + V1, true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.lines()).containsExactly("App shop unchanged (dry run)", "AppVersion shop/v1 created (dry run)");
        assertThat(store.writes()).isEqualTo(before);
        assertThat(store.listVersions("shop")).isEmpty();
    }

    @Test
    void oneBadDocumentStopsTheWholeApplyBeforeAnyWrite() {
        String bad = V2.replace("cpu: 256", "cpu: 300");

        assertThatThrownBy(() -> apply(APP + "---\n" + V1 + "---\n" + bad, false))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("doc[2] (AppVersion shop/v2): spec.cpu"));
        assertThat(store.writes()).isZero();
    }

    @Test
    void aDryRunOfBadInputThrowsTheSameWay() {
        assertThatThrownBy(() -> apply(V1, true)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("spec.app: App 'shop' does not exist");
        assertThat(store.writes()).isZero();
    }

    @Test
    void validatesAgainstWhatIsStored() {
        apply(APP + "---\n" + V1, false);
        int before = store.writes();
        String overlapping = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.app("blog", 150, 250));
        String caseTwin = V1.replace("name: shop.v1", "name: shop.V1");

        assertThatThrownBy(() -> apply(overlapping + "---\n" + caseTwin, false))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("doc[0] (App blog): spec.router.priorities", "doc[1] (AppVersion shop/V1): metadata.name"));
        assertThat(store.writes()).isEqualTo(before);
    }

    @Test
    void readerProblemsAndValidatorProblemsComeTogetherWithoutRepeatingAField() {
        String text = V1.replace("image: repo/api:1", "imag: repo/api:1").replace("cpu: 256", "cpu: 300") + "---\n" + APP;

        assertThatThrownBy(() -> apply(text, false)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
                .extracting(Problem::path).containsExactly(
                        "doc[0] (AppVersion shop/v1): spec.image",      // reader: missing (the validator's "empty" is not repeated)
                        "doc[0] (AppVersion shop/v1): spec.imag",       // reader: unknown, did you mean image?
                        "doc[0] (AppVersion shop/v1): spec.cpu"));      // validator
        assertThat(store.writes()).isZero();
    }

    @Test
    void statusInTheInputIsAcceptedButNeverApplied() {
        apply(APP, false);
        String withStatus = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.version("shop", "v1")
                .withStatus(AppVersionStatus.PENDING.toBuilder().phase(Phase.Live).message("from get -o yaml").build()));

        ManifestApplier.Report report = apply(withStatus, false);

        assertThat(report.lines()).containsExactly("AppVersion shop/v1 created");
        assertThat(store.getVersion(new VersionKey("shop", "v1")).orElseThrow().status()).isEqualTo(AppVersionStatus.PENDING);
        assertThat(store.statusWrites()).isZero();
    }

    @Test
    void aStaleGenerationIsRefusedInsteadOfUndoingSomeoneElsesChange() {
        apply(APP + "---\n" + V1, false);
        String fetched = ManifestWriter.write(ManifestWriter.Format.YAML, store.getVersion(new VersionKey("shop", "v1")).orElseThrow());
        apply(V1.replace("desiredCount: 2", "desiredCount: 4"), false); // someone else's edit: generation 2
        int before = store.writes();

        String myEdit = fetched.replace("containerPort: 8080", "containerPort: 9090");
        assertThatThrownBy(() -> apply(myEdit, false)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.problems()).extracting(Problem::path).containsExactly("doc[0] (AppVersion shop/v1): metadata.generation");
            assertThat(e.problems().get(0).message()).contains("is 1 but the stored AppVersion is at generation 2");
        });
        assertThat(store.writes()).isEqualTo(before);

        // Fetched again, the same edit goes through.
        String refetched = ManifestWriter.write(ManifestWriter.Format.YAML, store.getVersion(new VersionKey("shop", "v1")).orElseThrow());
        assertThat(apply(refetched.replace("containerPort: 8080", "containerPort: 9090"), false).lines())
                .containsExactly("AppVersion shop/v1 changed");
    }

    @Test
    void aStaleGenerationDoesNotMatterWhenNothingWouldChange() {
        apply(APP + "---\n" + V1, false);
        String fetched = ManifestWriter.write(ManifestWriter.Format.YAML, store.getVersion(new VersionKey("shop", "v1")).orElseThrow());
        apply(V1.replace("desiredCount: 2", "desiredCount: 4"), false);
        apply(V1, false); // back to the fetched spec, generation 3

        assertThat(apply(fetched, false).lines()).containsExactly("AppVersion shop/v1 unchanged");
    }

    @Test
    void emptyInputIsAProblemNotASilentSuccess() {
        assertThatThrownBy(() -> applier.apply(ManifestReader.read("", "empty.yaml"), false))
                .isInstanceOf(ValidationException.class).hasMessageContaining("empty.yaml: no App or AppVersion documents found");
    }

    @Test
    void problemsOfEachDocumentStayTogetherInDocumentOrder() {
        String text = V1.replace("cpu: 256", "cpu: 300").replace("containerPort: 8080", "containerPort: 0") + "---\n"
                + APP.replace("from: 100", "from: 0") + "---\n" + V2.replace("cpu: 256", "cpu: \"256\"");

        assertThatThrownBy(() -> apply(text, false)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
                .extracting(Problem::path).containsExactly(
                        "doc[0] (AppVersion shop/v1): spec.cpu",
                        "doc[0] (AppVersion shop/v1): spec.containerPort",
                        "doc[1] (App shop): spec.router.priorities",
                        "doc[2] (AppVersion shop/v2): spec.cpu"));
    }

    @Test
    void theReportPrintsOneLinePerRecord() {
        assertThat(new ManifestApplier.Report(false, List.of(new Outcome("App", "shop", Change.CHANGED))).lines())
                .containsExactly("App shop changed");
    }
}
