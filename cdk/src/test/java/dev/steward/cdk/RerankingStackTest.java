package dev.steward.cdk;

import static dev.steward.cdk.GuardrailProviderStackTest.appWith;
import static dev.steward.cdk.StewardStackTest.actions;
import static dev.steward.cdk.StewardStackTest.environment;
import static dev.steward.cdk.StewardStackTest.jsonOf;
import static dev.steward.cdk.StewardStackTest.roleOf;
import static dev.steward.cdk.StewardStackTest.statementsByRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.steward.cdk.SynthesizedStages.Synthesized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reranking per stage: the {@code reranker.<stage>} context value, the variables the retrieve step reads, and that
 * only its role may rerank, with that one model. Stage on Cohere Rerank 3.5 and prod on the default model with 50
 * candidates are those of {@link SynthesizedStages#withProviders()} (which also sets the guardrail providers, see
 * {@link GuardrailProviderStackTest}); the default stages (none) are the shared ones of {@link SynthesizedStages#get()}.
 */
class RerankingStackTest {
    private static final String COHERE = "cohere.rerank-v3-5:0";
    private static final String AMAZON = "amazon.rerank-v1:0";
    private static final String RERANKER = "STEWARD_RERANKER";
    private static final String MODEL = "STEWARD_RERANK_MODEL";
    private static final String CANDIDATES = "STEWARD_RERANK_CANDIDATES";
    /** Stage on Cohere with the function's default candidates; prod on the default model (Amazon's) with 50. */
    static final Map<String, Object> CONTEXT = Map.of(
            "reranker.stage", "bedrock:" + COHERE,
            "reranker.prod", "bedrock,candidates=50");

    @Test
    void theContextChoosesEachStagesRerankingAndEveryStageDefaultsToNone() {
        var stages = SynthesizedStages.withProviders();
        assertThat(stages.stage("stage").stack().config().reranking())
                .isEqualTo(StageConfig.Reranking.bedrock(COHERE, null));
        assertThat(stages.stage("prod").stack().config().reranking())
                .isEqualTo(StageConfig.Reranking.bedrock(AMAZON, 50));
        assertThat(StageConfig.all()).extracting(StageConfig::reranking).containsOnly(StageConfig.Reranking.none());
        // a stage the context does not name keeps its default
        var dev = StewardApp.configs(appWith(Map.of("reranker.prod", "bedrock"))).getFirst();
        assertThat(dev.name()).isEqualTo("dev");
        assertThat(dev.reranking()).isEqualTo(StageConfig.Reranking.none());
    }

    @Test
    void theRerankerIsNamedToTheRetrieveStepOnly() {
        var stages = SynthesizedStages.withProviders();
        assertThat(environment(stages.stage("stage"), StewardFunction.RETRIEVE))
                .containsEntry(RERANKER, "bedrock").containsEntry(MODEL, COHERE).doesNotContainKey(CANDIDATES);
        assertThat(environment(stages.stage("prod"), StewardFunction.RETRIEVE))
                .containsEntry(RERANKER, "bedrock").containsEntry(MODEL, AMAZON).containsEntry(CANDIDATES, "50");
        for (var stage : List.of("stage", "prod")) {
            assertNoRerankVariables(stages.stage(stage), StewardFunction.RETRIEVE);
        }
    }

    @Test
    void onlyTheRetrieveRoleMayRerankAndInvokeThatOneModel() {
        var stages = SynthesizedStages.withProviders();
        for (var entry : Map.of("stage", COHERE, "prod", AMAZON).entrySet()) {
            var s = stages.stage(entry.getKey());
            var modelArn = Map.of("Fn::Join", List.of("", List.of(
                    "arn:", Map.of("Ref", "AWS::Partition"), ":bedrock:", Map.of("Ref", "AWS::Region"),
                    "::foundation-model/" + entry.getValue())));
            // Rerank has no resource types, so "*"; the model is named on InvokeModel
            assertThat(rerankStatementsByRole(s)).as(entry.getKey()).isEqualTo(Map.of(roleOf(s, StewardFunction.RETRIEVE),
                    List.of(Map.of("Effect", "Allow", "Action", "bedrock:Rerank", "Resource", "*"),
                            Map.of("Effect", "Allow", "Action", "bedrock:InvokeModel", "Resource", modelArn))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theDefaultStagesNeitherRerankNorMayRerank(String stage) {
        var s = SynthesizedStages.get().stage(stage);
        assertNoRerankVariables(s, null);
        assertThat(rerankStatementsByRole(s)).isEmpty();
    }

    // ---- the context value ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "cohere", "bedrock:", "bedrock:amazon.titan-embed-text-v2:0", "bedrock:amazon.rerank-v1",
            "bedrock:Amazon.Rerank-v1:0", "bedrock:arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0",
            "bedrock:amazon.rerank-v1:0,candidates=0", "bedrock:amazon.rerank-v1:0,candidates=1001",
            "bedrock:amazon.rerank-v1:0,candidates=ten", "bedrock:amazon.rerank-v1:0,50", "bedrock,", "none:" + AMAZON,
            "none,candidates=5"})
    void aMalformedContextValueStopsSynthesisNamingTheKey(String value) {
        var app = appWith(Map.of("reranker.prod", value));
        assertThatThrownBy(() -> StewardApp.configs(app))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context reranker.prod=" + value + ": ")
                .hasMessageEndingWith("(expected " + StageConfig.Reranking.FORMAT + ")");
    }

    @Test
    void aRerankerIsReadCaseInsensitivelyButAModelIdIsNotAndBedrockAloneIsTheDefaultModel() {
        assertThat(StageConfig.Reranking.parse(" None ")).isEqualTo(StageConfig.Reranking.none());
        assertThat(StageConfig.Reranking.parse("BEDROCK")).isEqualTo(StageConfig.Reranking.bedrock(AMAZON, null));
        assertThat(StageConfig.Reranking.parse("bedrock:" + COHERE + ",candidates=1000"))
                .isEqualTo(StageConfig.Reranking.bedrock(COHERE, 1000));
        assertThatThrownBy(() -> StageConfig.Reranking.parse("bedrock:Cohere.rerank-v3-5:0"))
                .hasMessageContaining("model id with rerank in its name");
    }

    @Test
    void onlyBedrockTakesAModelOrCandidates() {
        assertThatThrownBy(() -> new StageConfig.Reranking(StageConfig.Reranking.Reranker.NONE, AMAZON, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none does not");
        assertThatThrownBy(() -> new StageConfig.Reranking(StageConfig.Reranking.Reranker.NONE, null, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none does not");
        assertThatThrownBy(() -> StageConfig.Reranking.bedrock(null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** No function but {@code except} (none when null) reads any of the reranker's variables. */
    private static void assertNoRerankVariables(Synthesized s, StewardFunction except) {
        for (var f : StewardFunction.values()) {
            if (f != except) {
                assertThat(environment(s, f).keySet()).as(f.name()).noneMatch(k -> k.startsWith("STEWARD_RERANK"));
            }
        }
    }

    /** Every statement that allows {@code bedrock:Rerank} or names a reranking model, by role. */
    private static Map<String, List<Map<String, Object>>> rerankStatementsByRole(Synthesized s) {
        return statementsByRole(s, statement -> actions(statement).contains("bedrock:Rerank")
                || jsonOf(statement.get("Resource")).contains("rerank"));
    }
}
