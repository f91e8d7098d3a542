package dev.steward.cdk;

import static dev.steward.cdk.GuardrailProviderStackTest.appWith;
import static dev.steward.cdk.StewardStackTest.actions;
import static dev.steward.cdk.StewardStackTest.environment;
import static dev.steward.cdk.StewardStackTest.jsonOf;
import static dev.steward.cdk.StewardStackTest.roleOf;
import static dev.steward.cdk.StewardStackTest.statementsByRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.steward.cdk.SynthesizedStages.Synthesized;
import dev.steward.llm.ModelProviders;
import dev.steward.llm.ProviderConfig;
import dev.steward.llm.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model per stage: the {@code model.<stage>} context value, the variables plan and respond read (read back here
 * by the functions' own {@link ModelProviders}), and that only their roles may invoke that one model. The default
 * stages (Bedrock with the default model) are those of {@link SynthesizedStages#get()}; stage on an inference profile
 * and prod with no model are those of {@link SynthesizedStages#withProviders()}.
 */
class ModelStackTest {
    private static final String PROFILE = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    /** Stage on a cross-region inference profile, prod with no model (extractive answers). */
    static final Map<String, Object> CONTEXT = Map.of("model.stage", "bedrock:" + PROFILE, "model.prod", "none");

    @Test
    void theContextChoosesEachStagesModelAndEveryStageDefaultsToBedrocksDefaultModel() {
        assertThat(StageConfig.all()).extracting(StageConfig::model).containsOnly(StageConfig.Model.bedrock("amazon.nova-lite-v1:0"));
        var stages = SynthesizedStages.withProviders();
        assertThat(stages.stage("stage").stack().config().model()).isEqualTo(StageConfig.Model.bedrock(PROFILE));
        assertThat(stages.stage("prod").stack().config().model()).isEqualTo(StageConfig.Model.none());
        var dev = StewardApp.configs(appWith(Map.of("model.prod", "none"))).getFirst();
        assertThat(dev.name()).isEqualTo("dev");
        assertThat(dev.model()).isEqualTo(StageConfig.Model.bedrockDefault());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void planAndRespondOfADefaultStageRunBedrocksDefaultModelInTheirOwnRegion(String stage) {
        var s = SynthesizedStages.get().stage(stage);
        for (var f : StewardStack.MODEL_CALLERS) {
            assertThat(providersOf(s, f)).as(f.name()).singleElement().satisfies(p -> {
                assertThat(p.name()).isEqualTo("bedrock");
                assertThat(p.kind()).isEqualTo(ProviderKind.BEDROCK);
                assertThat(p.model()).isEqualTo(ModelProviders.DEFAULT_BEDROCK_MODEL);
                assertThat(p.region()).isEqualTo("eu-west-1"); // the function's AWS_REGION, as Lambda sets it
            });
        }
        assertNoModelVariables(s);
        var modelArn = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":bedrock:",
                Map.of("Ref", "AWS::Region"), "::foundation-model/" + ModelProviders.DEFAULT_BEDROCK_MODEL)));
        var expected = new TreeMap<String, List<Map<String, Object>>>();
        for (var f : StewardStack.MODEL_CALLERS) {
            expected.put(roleOf(s, f), List.of(Map.of("Effect", "Allow",
                    "Action", List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"), "Resource", modelArn)));
        }
        assertThat(modelStatementsByRole(s)).isEqualTo(expected);
    }

    @Test
    void anInferenceProfileIsGrantedWithItsModelInEveryRegionOnlyThroughThatProfile() {
        var s = SynthesizedStages.withProviders().stage("stage");
        for (var f : StewardStack.MODEL_CALLERS) {
            assertThat(providersOf(s, f)).as(f.name()).singleElement().satisfies(p -> assertThat(p.model()).isEqualTo(PROFILE));
        }
        assertNoModelVariables(s);
        var profileArn = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":bedrock:",
                Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":inference-profile/" + PROFILE)));
        var models = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0")));
        var actions = List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
        var expected = new TreeMap<String, List<Map<String, Object>>>();
        for (var f : StewardStack.MODEL_CALLERS) {
            expected.put(roleOf(s, f), List.of(
                    Map.of("Effect", "Allow", "Action", actions, "Resource", profileArn),
                    Map.of("Effect", "Allow", "Action", actions, "Resource", models,
                            "Condition", Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", profileArn)))));
        }
        assertThat(modelStatementsByRole(s)).isEqualTo(expected);
    }

    @Test
    void aStageWithNoModelNamesNoneAndMayInvokeNone() {
        var s = SynthesizedStages.withProviders().stage("prod");
        for (var f : StewardFunction.values()) {
            assertThat(environment(s, f).keySet()).as(f.name()).noneMatch(k -> k.startsWith("STEWARD_LLM"));
        }
        assertThat(modelStatementsByRole(s)).isEmpty();
    }

    // ---- the context value ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "groq", "bedrock:", "bedrock:nova-lite", "bedrock:Amazon.Nova-Lite-v1:0",
            "bedrock:arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", "none:amazon.nova-lite-v1:0",
            "bedrock:amazon.nova-lite-v1:0 extra"})
    void aMalformedContextValueStopsSynthesisNamingTheKey(String value) {
        var app = appWith(Map.of("model.prod", value));
        assertThatThrownBy(() -> StewardApp.configs(app))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context model.prod=" + value + ": ")
                .hasMessageEndingWith("(expected " + StageConfig.Model.FORMAT + ")");
    }

    @Test
    void aProviderIsReadCaseInsensitivelyAModelIdIsNotAndAProfileNamesItsGeographyAndModel() {
        assertThat(StageConfig.Model.parse(" None ")).isEqualTo(StageConfig.Model.none());
        assertThat(StageConfig.Model.parse("BEDROCK")).isEqualTo(StageConfig.Model.bedrockDefault());
        var profile = StageConfig.Model.parse("bedrock:" + PROFILE);
        assertThat(profile.profileGeography()).contains("us");
        assertThat(profile.foundationModelId()).isEqualTo("anthropic.claude-sonnet-4-20250514-v1:0");
        var global = StageConfig.Model.parse("bedrock:global.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(global.profileGeography()).contains("global");
        var model = StageConfig.Model.parse("bedrock:meta.llama3-1-70b-instruct-v1:0");
        assertThat(model.profileGeography()).isEmpty();
        assertThat(model.foundationModelId()).isEqualTo("meta.llama3-1-70b-instruct-v1:0");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The providers {@code f} would build from its variables, as plan and respond do at start-up on Lambda. */
    private static List<ProviderConfig> providersOf(Synthesized s, StewardFunction f) {
        var env = new HashMap<String, String>();
        environment(s, f).forEach((k, v) -> env.put(k, String.valueOf(v)));
        env.put("AWS_REGION", "eu-west-1");
        return ModelProviders.chainFromEnvironment(env);
    }

    /** No function but plan and respond reads a model variable. */
    private static void assertNoModelVariables(Synthesized s) {
        for (var f : StewardFunction.values()) {
            if (!StewardStack.MODEL_CALLERS.contains(f)) {
                assertThat(environment(s, f).keySet()).as(f.name()).noneMatch(k -> k.startsWith("STEWARD_LLM"));
            }
        }
    }

    /** Every statement that lets a role invoke a text model (not the Titan embedder, not a reranker), by role. */
    private static Map<String, List<Map<String, Object>>> modelStatementsByRole(Synthesized s) {
        return statementsByRole(s, statement -> actions(statement).contains("bedrock:InvokeModel")
                && !jsonOf(statement.get("Resource")).contains("titan-embed") && !jsonOf(statement.get("Resource")).contains("rerank"));
    }
}
