package dev.steward.function.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.run.StepRecord;
import dev.steward.core.tenant.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The real Powertools metrics stack writing Embedded Metric Format: the EMF library's Local environment prints the
 * same JSON lines the Lambda environment prints to the function's log, which CloudWatch turns into metrics.
 */
class EmfStepMetricsTest {
    private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream();
    private static PrintStream original;
    private static EmfStepMetrics observer;
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void start() {
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        original = System.out;
        System.setOut(new PrintStream(OUT, true, StandardCharsets.UTF_8));
        observer = new EmfStepMetrics(MetricsFactory.getMetricsInstance());
    }

    @AfterAll
    static void stop() {
        System.setOut(original);
    }

    private static List<JsonNode> emitted() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : OUT.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                out.add(Json.tree(line));
            }
        }
        OUT.reset();
        return out;
    }

    @Test
    void aStepBecomesOneEmfRecordWithItsDurationTokensAndVerdicts() {
        RunRecord run = RunRecord.queued(TenantId.of("acme"), RunId.random(), "support-agent", "hi", T0).withStep(
                new StepRecord(0, "plan", "ACT", 42, T0, null, 120, 30, 35L, List.of(
                        new GuardVerdict("USER_INPUT", "REDACT", null, List.of()),
                        new GuardVerdict("TOOL_ARGUMENTS", "ASK", null, List.of()),
                        new GuardVerdict("RETRIEVED_CHUNK", "ALLOW", null, List.of()))), T0);

        observer.committed(run);

        List<JsonNode> records = emitted();
        assertThat(records).hasSize(1);
        JsonNode r = records.getFirst();
        JsonNode directive = r.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Steward");
        // exactly the set the dashboard's SEARCH names (the EMF library would add LogGroup, ServiceName, ServiceType)
        assertThat(directive.path("Dimensions")).hasSize(1);
        assertThat(directive.path("Dimensions").get(0)).extracting(JsonNode::asText).containsExactlyInAnyOrder("Tenant", "Agent", "Step");
        assertThat(r.path("Tenant").asText()).isEqualTo("acme");
        assertThat(r.path("Agent").asText()).isEqualTo("support-agent");
        assertThat(r.path("Step").asText()).isEqualTo("plan");
        assertThat(r.path("StepDuration").asDouble()).isEqualTo(42);
        assertThat(r.path("ModelLatency").asDouble()).isEqualTo(35);
        assertThat(r.path("TokensIn").asDouble()).isEqualTo(120);
        assertThat(r.path("TokensOut").asDouble()).isEqualTo(30);
        assertThat(r.path("Guardrail.USER_INPUT.REDACT").asDouble()).isEqualTo(1);
        assertThat(r.path("Guardrail.TOOL_ARGUMENTS.ASK").asDouble()).isEqualTo(1);
        assertThat(r.has("Guardrail.RETRIEVED_CHUNK.ALLOW")).isFalse();
        assertThat(r.has("Run.SUCCEEDED")).isFalse();
    }

    @Test
    void theStepThatEndsARunCountsTheRunByItsStatus() {
        RunRecord ended = RunRecord.queued(TenantId.of("acme"), RunId.random(), "knowledge-assistant", "hi", T0)
                .next(T0).status(RunStatus.HALTED).build()
                .withStep(new StepRecord(0, "respond", "HALTED", 7, T0, "limit", null, null), T0);

        observer.committed(ended);

        JsonNode r = emitted().getFirst();
        assertThat(r.path("Run.HALTED").asDouble()).isEqualTo(1);
        assertThat(r.path("StepDuration").asDouble()).isEqualTo(7);
        assertThat(r.has("TokensIn")).isFalse();
    }

    @Test
    void aStepThatStopsTheRunForAReviewCountsTheRequest() {
        RunRecord waiting = RunRecord.queued(TenantId.of("acme"), RunId.random(), "support-agent", "mail the customer", T0)
                .withStep(new StepRecord(0, "plan", "AWAIT_APPROVAL", 12, T0, null, 80, 20, 15L, List.of()), T0)
                .next(T0).status(RunStatus.WAITING_FOR_REVIEW).build();
        observer.committed(waiting);
        assertThat(emitted()).singleElement().satisfies(r -> assertThat(r.path("Review.Requested").asDouble()).isEqualTo(1));

        RunRecord planning = RunRecord.queued(TenantId.of("acme"), RunId.random(), "support-agent", "hi", T0)
                .withStep(new StepRecord(0, "plan", "RETRIEVE", 3, T0, null, null, null, null, List.of()), T0);
        observer.committed(planning);
        assertThat(emitted()).singleElement().satisfies(r -> assertThat(r.has("Review.Requested")).isFalse());
    }
}
