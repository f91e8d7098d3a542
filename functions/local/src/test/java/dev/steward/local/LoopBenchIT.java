package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopBenchIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();

    @Test
    void measuresFiveStepRunsAndReportsEveryFigure() throws Exception {
        LoopBench.Result r = LoopBench.run(HOME, Path.of(System.getProperty("steward.s3proxy.jar")), 5, 2, 2);

        assertThat(r.stepsPerRun()).isEqualTo(5.0);
        assertThat(r.stepMs()).hasSize(25).allSatisfy(ms -> assertThat(ms).isNotNegative());
        assertThat(r.runMs()).hasSize(5);
        JsonNode json = LoopBench.json(r);
        assertThat(json.fieldNames()).toIterable()
                .contains("step_p50_ms", "step_p99_ms", "run_p50_ms", "run_p99_ms", "runs_per_s", "steps_per_run");
        assertThat(json.path("run_p50_ms").asDouble()).isGreaterThanOrEqualTo(json.path("step_p50_ms").asDouble());
    }

    @Test
    void percentilesUseTheNearestRank() {
        List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
        assertThat(LoopBench.percentile(values, 50)).isEqualTo(3.0);
        assertThat(LoopBench.percentile(values, 99)).isEqualTo(5.0);
        assertThat(LoopBench.percentile(values, 1)).isEqualTo(1.0);
    }
}
