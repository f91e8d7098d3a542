package dev.steward.function.steps;

import dev.steward.agent.StepObserver;
import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.run.StepRecord;
import java.util.Objects;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The loop's CloudWatch metrics, written as Embedded Metric Format log lines with Powertools for AWS Lambda (one
 * record per committed step; CloudWatch turns them into metrics without an API call). Namespace {@value #NAMESPACE},
 * dimensions Tenant, Agent and Step:
 * <ul>
 *   <li>{@code StepDuration} (ms), and when the step called a model {@code ModelLatency} (ms), {@code TokensIn},
 *       {@code TokensOut} (count);</li>
 *   <li>{@code Guardrail.<STAGE>.<VERDICT>} (count) for each checkpoint verdict other than ALLOW;</li>
 *   <li>{@code Run.<STATUS>} (count, 1) when the step ended the run (SUCCEEDED, HALTED, FAILED);</li>
 *   <li>{@code Review.Requested} (count, 1) when the step stopped the run for a person's review (the api function
 *       counts the decisions: {@code Review.<DECISION>} and {@code ReviewWait}).</li>
 * </ul>
 * Thread-safe (each step flushes its own metrics context).
 */
public final class EmfStepMetrics implements StepObserver {
    public static final String NAMESPACE = "Steward";
    private final Metrics metrics;

    public EmfStepMetrics(Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void committed(RunRecord run) {
        if (run.steps().isEmpty()) {
            return;
        }
        StepRecord step = run.steps().getLast();
        metrics.flushMetrics(m -> {
            m.setNamespace(NAMESPACE);
            // Exactly these three: the EMF library would add LogGroup, ServiceName and ServiceType to the set, and a
            // CloudWatch SEARCH (the dashboard's) matches one exact dimension set.
            m.clearDefaultDimensions();
            m.addDimension(DimensionSet.of("Tenant", run.tenant().value(), "Agent", run.agent(), "Step", step.step()));
            m.addMetric("StepDuration", step.durationMs(), MetricUnit.MILLISECONDS);
            if (step.modelMs() != null) {
                m.addMetric("ModelLatency", step.modelMs(), MetricUnit.MILLISECONDS);
            }
            if (step.tokensIn() != null) {
                m.addMetric("TokensIn", step.tokensIn(), MetricUnit.COUNT);
            }
            if (step.tokensOut() != null) {
                m.addMetric("TokensOut", step.tokensOut(), MetricUnit.COUNT);
            }
            for (GuardVerdict v : step.verdicts()) {
                if (!v.verdict().equals("ALLOW")) {
                    m.addMetric("Guardrail." + v.stage() + "." + v.verdict(), 1, MetricUnit.COUNT);
                }
            }
            if (run.status().terminal()) {
                m.addMetric("Run." + run.status().name(), 1, MetricUnit.COUNT);
            }
            if (run.status() == RunStatus.WAITING_FOR_REVIEW) {
                m.addMetric("Review.Requested", 1, MetricUnit.COUNT);
            }
        });
    }
}
