package dev.steward.function.api;

import dev.steward.store.review.ReviewRecord;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Review decisions as CloudWatch metrics: one Embedded Metric Format record per decision (Powertools metrics, as the
 * steps' {@code EmfStepMetrics} writes the loop's records), namespace {@code Steward}, dimensions Tenant, Agent and
 * Step ({@code review}, so one SEARCH finds them beside the loop's): {@code Review.<APPROVED|REJECTED|EDITED>} (count)
 * and {@code ReviewWait} (seconds from the request to the decision). The loop counts the requests
 * ({@code Review.Requested}). Off outside Lambda. A metrics failure never fails the decision.
 */
final class ReviewMetrics {
    private static final Logger LOG = Logger.getLogger(ReviewMetrics.class.getName());
    static final ReviewMetrics NONE = new ReviewMetrics(null);
    private final Metrics metrics;

    ReviewMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** EMF records on Lambda (the runtime sets {@code AWS_LAMBDA_FUNCTION_NAME}), nothing elsewhere. */
    static ReviewMetrics fromEnvironment(Map<String, String> env) {
        return env.containsKey("AWS_LAMBDA_FUNCTION_NAME") ? new ReviewMetrics(MetricsFactory.getMetricsInstance()) : NONE;
    }

    /** Records {@code review}'s decision, just taken. */
    void decided(ReviewRecord review) {
        if (metrics == null || review.decision() == null) {
            return;
        }
        try {
            metrics.flushMetrics(m -> {
                m.setNamespace("Steward");
                m.clearDefaultDimensions(); // exactly the loop's dimension set, which the dashboard's SEARCH names
                m.addDimension(DimensionSet.of("Tenant", review.tenant().value(), "Agent", review.agent(), "Step", "review"));
                m.addMetric("Review." + review.status().name(), 1, MetricUnit.COUNT);
                m.addMetric("ReviewWait", Duration.between(review.createdAt(), review.decision().at()).toMillis() / 1000.0,
                        MetricUnit.SECONDS);
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "review metrics not written", e);
        }
    }
}
