package dev.steward.function.steps;

import dev.steward.agent.AgentSteps;
import dev.steward.agent.Checkpoints;
import dev.steward.agent.StepObserver;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import dev.steward.guardrails.aws.GuardrailProviders;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import dev.steward.connectors.Toolboxes;
import dev.steward.llm.ModelProviders;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the steps' dependencies from a Lambda environment, once per execution environment. */
final class StepsWiring {
    private static volatile AgentSteps instance;

    private StepsWiring() {}

    static AgentSteps fromEnvironment() {
        AgentSteps s = instance;
        if (s == null) {
            synchronized (StepsWiring.class) {
                s = instance;
                if (s == null) {
                    s = build(System.getenv());
                    instance = s;
                }
            }
        }
        return s;
    }

    private static AgentSteps build(Map<String, String> env) {
        Stores stores = Stores.fromEnvironment(env);
        Path indexDir = Path.of(env.getOrDefault("KNOWLEDGE_DIR", "/tmp/steward-index"));
        Supplier<KnowledgeBase> kb = memoize(() -> KnowledgeBases.fromEnvironment(env, indexDir));
        return AgentSteps.builder(stores, kb)
                .model(ModelProviders.fromEnvironment(env))
                .toolbox(Toolboxes.fromEnvironment(env, stores.idempotency(), stores.connections(), Clock.systemUTC()))
                .limitsFrom(env)
                .checkpoints(Checkpoints.of(GuardrailProviders.fromEnvironment(env, DefaultCredentialsProvider::create)))
                // On Lambda, each committed step becomes an EMF record in the function's log (CloudWatch metrics).
                .observer(env.containsKey("AWS_LAMBDA_FUNCTION_NAME")
                        ? new EmfStepMetrics(MetricsFactory.getMetricsInstance()) : StepObserver.NONE)
                .build();
    }

    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
