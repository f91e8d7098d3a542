package dev.steward.cdk;

import static dev.steward.cdk.StewardStackTest.actions;
import static dev.steward.cdk.StewardStackTest.environment;
import static dev.steward.cdk.StewardStackTest.roleOf;
import static dev.steward.cdk.StewardStackTest.statementsByRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.steward.cdk.SynthesizedStages.Synthesized;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The guardrail provider per stage: the {@code guardrails.<stage>} context value, the variables the functions
 * read, and exactly which roles may call which provider. Stage on Comprehend and prod on a Bedrock guardrail are
 * those of {@link SynthesizedStages#withProviders()} (which also reranks, see {@link RerankingStackTest}); the default
 * (local) stages are the shared ones of {@link SynthesizedStages#get()}.
 */
class GuardrailProviderStackTest {
    private static final String GUARDRAIL_ID = "gr0abc123xyz";
    private static final String GUARDRAIL_VERSION = "3";
    private static final String PROVIDER = "STEWARD_GUARDRAILS_PROVIDER";
    private static final String BEDROCK_ID = "STEWARD_BEDROCK_GUARDRAIL_ID";
    private static final String BEDROCK_VERSION = "STEWARD_BEDROCK_GUARDRAIL_VERSION";
    /** Stage on Comprehend, prod on a Bedrock guardrail. */
    static final Map<String, Object> CONTEXT = Map.of(
            "guardrails.stage", "comprehend",
            "guardrails.prod", "bedrock:" + GUARDRAIL_ID + ":" + GUARDRAIL_VERSION);
    /** The functions that read the provider's variables: every agent-loop step and the api. */
    private static final List<StewardFunction> CONFIGURED = configured();
    /** The steps that check text (verify, the citation gate, and fail check none): the only provider callers. */
    private static final List<StewardFunction> CHECKING_STEPS = List.of(
            StewardFunction.PLAN, StewardFunction.RETRIEVE, StewardFunction.ACT, StewardFunction.RESPOND);
    /** The functions that never see the provider. */
    private static final List<StewardFunction> UNCONFIGURED = List.of(
            StewardFunction.AUTHORIZER, StewardFunction.INGEST, StewardFunction.SWEEPER);

    private static Synthesized comprehend;
    private static Synthesized bedrock;

    @BeforeAll
    static void synthesizeOnce() {
        var stages = SynthesizedStages.withProviders();
        comprehend = stages.stage("stage");
        bedrock = stages.stage("prod");
    }

    @Test
    void theContextChoosesEachStagesProviderAndEveryStageDefaultsToLocal() {
        assertThat(comprehend.stack().config().guardrails()).isEqualTo(StageConfig.Guardrails.comprehend());
        assertThat(bedrock.stack().config().guardrails())
                .isEqualTo(StageConfig.Guardrails.bedrock(GUARDRAIL_ID, GUARDRAIL_VERSION));
        assertThat(StageConfig.all()).extracting(StageConfig::guardrails).containsOnly(StageConfig.Guardrails.local());
        // a stage the context does not name keeps its default
        var dev = StewardApp.configs(appWith(Map.of("guardrails.prod", "comprehend"))).getFirst();
        assertThat(dev.name()).isEqualTo("dev");
        assertThat(dev.guardrails()).isEqualTo(StageConfig.Guardrails.local());
    }

    // ---- comprehend -------------------------------------------------------------------------------------------

    @Test
    void comprehendIsNamedToEveryStepAndTheApiOnly() {
        for (var f : CONFIGURED) {
            assertThat(environment(comprehend, f)).as(f.name()).containsEntry(PROVIDER, "comprehend")
                    .doesNotContainKeys(BEDROCK_ID, BEDROCK_VERSION);
        }
        assertNoGuardrailVariables(comprehend);
    }

    @Test
    void comprehendLetsTheCheckingStepsDetectPiiAndToxicityAndTheApiDetectPiiAndNoOtherRoleAnything() {
        var checking = Map.<String, Object>of("Effect", "Allow",
                "Action", List.of("comprehend:DetectPiiEntities", "comprehend:DetectToxicContent"),
                "Resource", "*");
        var expected = new TreeMap<String, List<Map<String, Object>>>();
        for (var step : CHECKING_STEPS) {
            expected.put(roleOf(comprehend, step), List.of(checking));
        }
        expected.put(roleOf(comprehend, StewardFunction.API), List.of(Map.of("Effect", "Allow",
                "Action", "comprehend:DetectPiiEntities", "Resource", "*")));
        assertThat(guardrailStatementsByRole(comprehend)).isEqualTo(expected);
    }

    // ---- bedrock ----------------------------------------------------------------------------------------------

    @Test
    void theBedrockGuardrailIsNamedToEveryStepAndTheApiOnly() {
        for (var f : CONFIGURED) {
            assertThat(environment(bedrock, f)).as(f.name()).containsEntry(PROVIDER, "bedrock")
                    .containsEntry(BEDROCK_ID, GUARDRAIL_ID)
                    .containsEntry(BEDROCK_VERSION, GUARDRAIL_VERSION);
        }
        assertNoGuardrailVariables(bedrock);
    }

    @Test
    void bedrockLetsOnlyTheCheckingStepsApplyThatOneGuardrail() {
        var guardrailArn = Map.of("Fn::Join", List.of("", List.of(
                "arn:", Map.of("Ref", "AWS::Partition"), ":bedrock:", Map.of("Ref", "AWS::Region"), ":",
                Map.of("Ref", "AWS::AccountId"), ":guardrail/" + GUARDRAIL_ID)));
        var apply = Map.<String, Object>of("Effect", "Allow", "Action", "bedrock:ApplyGuardrail", "Resource", guardrailArn);
        var expected = new TreeMap<String, List<Map<String, Object>>>();
        for (var step : CHECKING_STEPS) {
            expected.put(roleOf(bedrock, step), List.of(apply));
        }
        // the api redacts PII locally with Bedrock: it gets no permission
        assertThat(guardrailStatementsByRole(bedrock)).isEqualTo(expected);
    }

    // ---- local (the default) ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theDefaultStagesSayLocalAndGrantNoProvider(String stage) {
        var s = SynthesizedStages.get().stage(stage);
        for (var f : CONFIGURED) {
            assertThat(environment(s, f)).as(f.name()).containsEntry(PROVIDER, "local")
                    .doesNotContainKeys(BEDROCK_ID, BEDROCK_VERSION);
        }
        assertNoGuardrailVariables(s);
        assertThat(guardrailStatementsByRole(s)).isEmpty();
    }

    // ---- malformed context ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "guardduty", "bedrock", "bedrock:gr0abc123xyz", "bedrock:gr0abc123xyz:3:4",
            "bedrock::3", "bedrock:GR0ABC:3", "bedrock:gr0abc123xyz:v3", "bedrock:gr0abc123xyz:0",
            "bedrock:arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0abc123xyz:3", "comprehend:gr0abc123xyz",
            "local:x"})
    void aMalformedContextValueStopsSynthesisNamingTheKey(String value) {
        var app = appWith(Map.of("guardrails.prod", value));
        assertThatThrownBy(() -> StewardApp.configs(app))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context guardrails.prod=" + value + ": ")
                .hasMessageEndingWith("(expected local, comprehend or bedrock:<guardrail id>:<version>)");
    }

    @Test
    void aProviderIsReadCaseInsensitivelyButAGuardrailIdIsNot() {
        assertThat(StageConfig.Guardrails.parse(" Comprehend ")).isEqualTo(StageConfig.Guardrails.comprehend());
        assertThat(StageConfig.Guardrails.parse("BEDROCK:gr0abc123xyz:DRAFT"))
                .isEqualTo(StageConfig.Guardrails.bedrock("gr0abc123xyz", "DRAFT"));
        assertThatThrownBy(() -> StageConfig.Guardrails.parse("bedrock:Gr0abc:1"))
                .hasMessageContaining("lowercase letters and digits");
    }

    @Test
    void onlyBedrockNamesAGuardrail() {
        assertThatThrownBy(() -> new StageConfig.Guardrails(
                dev.steward.guardrails.aws.GuardrailProviders.Provider.COMPREHEND, GUARDRAIL_ID, GUARDRAIL_VERSION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comprehend does not");
        assertThatThrownBy(() -> StageConfig.Guardrails.bedrock(GUARDRAIL_ID, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static List<StewardFunction> configured() {
        var functions = new ArrayList<>(StewardFunction.agentLoopSteps());
        functions.add(StewardFunction.API);
        return List.copyOf(functions);
    }

    static App appWith(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).build());
    }

    /** Authorizer, ingest and sweeper read none of the guardrail variables. */
    private static void assertNoGuardrailVariables(Synthesized s) {
        for (var f : UNCONFIGURED) {
            assertThat(environment(s, f).keySet()).as(f.name())
                    .noneMatch(k -> k.startsWith("STEWARD_GUARDRAILS_") || k.startsWith("STEWARD_COMPREHEND_")
                            || k.startsWith("STEWARD_BEDROCK_GUARDRAIL_"));
        }
        assertThat(Arrays.stream(StewardFunction.values()).filter(f -> !CONFIGURED.contains(f)).toList())
                .containsExactlyInAnyOrderElementsOf(UNCONFIGURED);
    }

    /** Every statement that allows a Comprehend action or {@code bedrock:ApplyGuardrail}, by role. */
    private static Map<String, List<Map<String, Object>>> guardrailStatementsByRole(Synthesized s) {
        return statementsByRole(s, statement -> actions(statement).stream()
                .anyMatch(a -> a.startsWith("comprehend:") || a.equals("bedrock:ApplyGuardrail")));
    }
}
