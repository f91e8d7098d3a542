package dev.steward.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionAssetsTest {

    @Test
    void repoLayoutPointsEachFunctionAtItsModulesShadedJar(@TempDir Path repo) {
        var assets = FunctionAssets.fromRepoLayout(repo);
        assertThat(assets.jarFor(StewardFunction.API))
                .isEqualTo(repo.resolve("functions/api/target/steward-function-api-lambda.jar"));
        assertThat(assets.jarFor(StewardFunction.AUTHORIZER))
                .isEqualTo(repo.resolve("functions/authorizer/target/steward-function-authorizer-lambda.jar"));
        assertThat(assets.jarFor(StewardFunction.INGEST))
                .isEqualTo(repo.resolve("functions/ingest/target/steward-function-ingest-lambda.jar"));
        for (var step : StewardFunction.agentLoopSteps()) {
            assertThat(assets.jarFor(step)).as(step.name())
                    .isEqualTo(repo.resolve("functions/steps/target/steward-function-steps-lambda.jar"));
        }
    }

    @Test
    void missingJarsAreNamedWithTheCommandThatBuildsThem(@TempDir Path repo) throws IOException {
        var assets = FunctionAssets.fromRepoLayout(repo);
        assertThat(assets.missing()).hasSize(4); // api, authorizer, steps, ingest

        var steps = repo.resolve("functions/steps/target/steward-function-steps-lambda.jar");
        Files.createDirectories(steps.getParent());
        SynthesizedStages.writeTestJar(steps);

        assertThatThrownBy(assets::requirePresent)
                .isInstanceOf(FunctionAssets.MissingJarsException.class)
                .hasMessageContaining("3 Lambda deployment jar(s) missing")
                .hasMessageContaining(repo.resolve("functions/api/target/steward-function-api-lambda.jar").toString())
                .hasMessageContaining("steward-function-authorizer-lambda.jar")
                .hasMessageContaining("steward-function-ingest-lambda.jar")
                .hasMessageNotContaining("steward-function-steps-lambda.jar")
                .hasMessageContaining("./mvnw -Pdist package");
    }

    @Test
    void presentJarsPassAndEveryFunctionMustHaveOne(@TempDir Path dir) throws IOException {
        var jar = SynthesizedStages.writeTestJar(dir.resolve("all.jar"));
        assertThat(FunctionAssets.sameJarForAll(jar).requirePresent().missing()).isEmpty();

        var incomplete = new EnumMap<StewardFunction, Path>(StewardFunction.class);
        incomplete.put(StewardFunction.API, jar);
        assertThatThrownBy(() -> new FunctionAssets(incomplete))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INGEST");
    }

    @Test
    void anAslPlaceholderWithoutAFunctionFailsSynthesisEarly(@TempDir Path dir) throws IOException {
        var asl = Files.writeString(dir.resolve("loop.asl.json"),
                "{\"States\":{\"A\":{\"Resource\":\"${PlanFunctionArn}\"},\"B\":{\"Resource\":\"${SweepFunctionArn}\"}}}");
        assertThat(StewardStack.placeholdersIn(asl)).containsExactly("PlanFunctionArn", "SweepFunctionArn");
        assertThatThrownBy(() -> StewardStack.requireEveryPlaceholderFilled(asl, java.util.List.of("PlanFunctionArn")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SweepFunctionArn");
    }

    @Test
    void repoRootIsFoundFromAnyFolderInside() {
        var root = StewardInputs.findRepoRoot(Path.of(""));
        assertThat(root.resolve(StewardInputs.AGENT_LOOP_ASL)).isRegularFile();
        assertThat(StewardInputs.findRepoRoot(root.resolve("cdk/src"))).isEqualTo(root);
    }
}
