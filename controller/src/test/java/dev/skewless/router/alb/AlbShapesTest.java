package dev.skewless.router.alb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.routing.RuleCondition;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/** Shapes of foreign rules moto round trips never produce: legacy fields, several actions, redirects. */
class AlbShapesTest {
    private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1";

    @Test
    void legacyConditionValuesAndUnknownFields() {
        Rule rule = Rule.builder().conditions(
                c -> c.field("path-pattern").values("/old/*"),
                c -> c.field("host-header").values("a.example.com"),
                c -> c.field("source-ip").sourceIpConfig(s -> s.values("10.0.0.0/8")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(TG)).build();
        assertThat(AlbShapes.spec(rule).conditions()).containsExactly(
                new RuleCondition.PathPattern(List.of("/old/*")), new RuleCondition.HostHeader(List.of("a.example.com")));
        assertThat(AlbShapes.spec(rule).action()).isEqualTo(AlbAction.Forward.to(TG));
    }

    @Test
    void theTerminalActionCountsAndUnmodelledActionsAreNamed() {
        Action auth = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1).build();
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD).order(2).forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(TG).weight(7)))
                .build();
        assertThat(AlbShapes.action(List.of(auth, forward))).isEqualTo(new AlbAction.Forward(List.of(new AlbAction.TargetGroupWeight(TG, 7))));
        Action redirect = Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r.protocol("HTTPS").statusCode("HTTP_301")).build();
        assertThat(AlbShapes.action(List.of(redirect))).isEqualTo(new AlbAction.FixedResponse(AlbShapes.UNMODELLED_ACTION, "redirect", null));
    }

    @Test
    void specsRenderTheSameShapeTheyAreReadFrom() {
        var forward = AlbShapes.action(new AlbAction.Forward(List.of(new AlbAction.TargetGroupWeight(TG, 90))));
        assertThat(forward.forwardConfig().targetGroupStickinessConfig().enabled()).isFalse();
        assertThat(AlbShapes.action(List.of(forward))).isEqualTo(new AlbAction.Forward(List.of(new AlbAction.TargetGroupWeight(TG, 90))));
        var query = AlbShapes.conditions(List.of(new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue(null, "v1")))));
        assertThat(query.getFirst().queryStringConfig().values().getFirst().key()).isNull();
    }
}
