package dev.steward.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * The stage's CloudWatch dashboard, {@code Steward-<stage>}: one page an operator reads to see whether agents work.
 * Rows: agent runs (executions and how runs ended), step and model latency and tokens, guardrail verdicts, the HTTP
 * API, ingestion, reviews, and every function's errors, throttles and duration.
 *
 * <p>The loop's own figures are the Embedded Metric Format records the step functions write (namespace
 * {@code Steward}, dimensions Tenant, Agent, Step; {@code EmfStepMetrics}). They are per tenant, so the graphs read
 * them with CloudWatch SEARCH expressions: a sum over every tenant and agent where the total is what matters (runs
 * ended, tokens), one line per tenant, agent and step where a percentile cannot be summed (latency).
 */
final class OperationsDashboard extends Construct {
    static final String NAMESPACE = "Steward";
    /** The dimension set every step record carries; a SEARCH must name it to find the records. */
    static final String SCHEMA = "{" + NAMESPACE + ",Agent,Step,Tenant}";
    private static final Duration PERIOD = Duration.minutes(5);

    private final Dashboard dashboard;

    OperationsDashboard(StewardStack stack, String id) {
        super(stack, id);
        var config = stack.config();
        var sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        var p99 = MetricOptions.builder().period(PERIOD).statistic("p99").build();
        var max = MetricOptions.builder().period(PERIOD).statistic("Maximum").build();
        var loop = stack.agentLoop();
        var api = stack.httpApi();

        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("Steward-" + config.name())
                .defaultInterval(Duration.hours(3))
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# Steward " + config.name() + "\nAgent runs, guardrails, API, ingestion and functions. Loop figures come "
                        + "from the steps' EMF records (namespace `" + NAMESPACE + "`), summed over tenants where a total "
                        + "makes sense; alarms notify the stage's alarm topic (stage and prod).")
                .width(24).height(2)
                .build());
        row(
                graph("Agent-loop executions", List.of(loop.metricStarted(sum), loop.metricSucceeded(sum),
                        loop.metricFailed(sum), loop.metricTimedOut(sum))),
                graph("Runs ended, by status (all tenants)", List.of(
                        total("Run.SUCCEEDED", "succeeded"), total("Run.HALTED", "halted"), total("Run.FAILED", "failed"))));
        row(
                graph("Step duration p99, ms (per tenant, agent, step)", List.of(search("StepDuration", "p99"))),
                graph("Model latency p99, ms (per tenant, agent, step)", List.of(search("ModelLatency", "p99"))),
                graph("Model tokens (all tenants)", List.of(total("TokensIn", "in"), total("TokensOut", "out"))));
        row(graph("Guardrail verdicts other than ALLOW (per stage and verdict, all tenants)", List.of(
                expression("SEARCH('" + SCHEMA + " MetricName=Guardrail', 'Sum', " + PERIOD.toSeconds() + ")", "verdicts"))));
        row(
                graph("Reviews requested and decided (all tenants)", List.of(total("Review.Requested", "requested"),
                        total("Review.APPROVED", "approved"), total("Review.EDITED", "edited"), total("Review.REJECTED", "rejected"))),
                graph("Time to a review decision p99, s (per tenant and agent)", List.of(search("ReviewWait", "p99"))));
        row(
                graph("API requests and errors", List.of(api.metricCount(sum), api.metricClientError(sum),
                        api.metricServerError(sum))),
                graph("API latency p99, ms", List.of(api.metricLatency(p99), api.metricIntegrationLatency(p99))),
                graph("Ingestion queue", List.of(stack.ingestQueue().metricApproximateNumberOfMessagesVisible(max),
                        stack.ingestQueue().metricApproximateAgeOfOldestMessage(max),
                        stack.ingestDeadLetters().metricApproximateNumberOfMessagesVisible(max))));
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> throttles = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        for (var function : StewardFunction.values()) {
            var live = stack.function(function).live();
            errors.add(live.metricErrors(withLabel(sum, function.functionName())));
            throttles.add(live.metricThrottles(withLabel(sum, function.functionName())));
            durations.add(live.metricDuration(withLabel(p99, function.functionName())));
        }
        row(graph("Function errors", errors), graph("Function throttles", throttles),
                graph("Function duration p99, ms", durations));
    }

    Dashboard dashboard() {
        return dashboard;
    }

    /** One line: {@code metricName} summed over every tenant, agent and step. */
    private static IMetric total(String metricName, String label) {
        return expression("SUM(" + searchText(metricName, "Sum") + ")", label);
    }

    /** One line per tenant, agent and step. */
    private static IMetric search(String metricName, String statistic) {
        return expression(searchText(metricName, statistic), metricName);
    }

    private static String searchText(String metricName, String statistic) {
        return "SEARCH('" + SCHEMA + " MetricName=\"" + metricName + "\"', '" + statistic + "', " + PERIOD.toSeconds() + ")";
    }

    private static IMetric expression(String expression, String label) {
        return MathExpression.Builder.create()
                .expression(expression)
                .usingMetrics(Map.of()) // a SEARCH finds its own metrics
                .label(label)
                .period(PERIOD)
                .build();
    }

    private static MetricOptions withLabel(MetricOptions options, String label) {
        return MetricOptions.builder().period(options.getPeriod()).statistic(options.getStatistic()).label(label).build();
    }

    /** A graph six units high; {@link #row} gives it its share of the row's width. */
    private static GraphWidget.Builder graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).height(6);
    }

    private void row(GraphWidget.Builder... graphs) {
        IWidget[] widgets = new IWidget[graphs.length];
        for (int i = 0; i < graphs.length; i++) {
            widgets[i] = graphs[i].width(24 / graphs.length).build();
        }
        dashboard.addWidgets(widgets);
    }
}
