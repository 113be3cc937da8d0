package dev.skewless.infra;

import static dev.skewless.infra.BackendStackTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The backend writes the controller image tag its task definition runs to
 * {@code /skewless/<app>/controller-image-tag}, in the same stack update, so the deploy commands
 * can pass the deployed tag back on every later cdk call.
 */
class ControllerImageTagParameterTest {
    private final Synthesized synth = Synthesized.defaults();
    private final Template backend = synth.backend;

    @Test
    void theParameterHoldsTheTagTheControllerTaskRuns() {
        String tag = synth.stacks.backend().settings().controllerImageTag();
        backend.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of(
                "Name", "/skewless/shop/" + ParameterNames.CONTROLLER_IMAGE_TAG, "Type", "String", "Value", tag)));
        Map<String, Object> task = props(backend.findResources("AWS::ECS::TaskDefinition", Map.of("Properties",
                Match.objectLike(Map.of("Family", "skewless-shop-controller")))).values().iterator().next());
        @SuppressWarnings("unchecked")
        Map<String, Object> container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).getFirst();
        // {"Fn::Join": ["", [<account>, ".dkr.ecr.", <region>, ..., {"Ref": <repository>}, ":<tag>"]]}
        @SuppressWarnings("unchecked")
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) container.get("Image")).get("Fn::Join")).get(1);
        assertThat(parts.getLast()).isEqualTo(":" + tag);
    }
}
