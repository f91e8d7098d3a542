package dev.steward.cdk;

import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.StageProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * One deployment stage (dev, stage, prod): its own cloud assembly ({@code cdk.out/assembly-<name>}) holding one
 * {@link StewardStack} named {@code steward-<name>}. Deploy it with {@code cdk deploy '<name>/*'}.
 */
public final class StewardStage extends Stage {
    public static final String STACK_ID = "Steward";

    private final StewardStack stack;

    /** @param env account and region to deploy to; null synthesizes an environment-agnostic stack */
    public StewardStage(Construct scope, StageConfig config, StewardInputs inputs, Environment env) {
        super(scope, config.name(), StageProps.builder().env(env).build());
        this.stack = new StewardStack(this, STACK_ID, StackProps.builder()
                .stackName("steward-" + config.name())
                .description("Steward multi-tenant agent platform, " + config.name() + " stage")
                .terminationProtection(config.terminationProtection())
                .build(), config, inputs);
        // Cost allocation and ownership: every taggable resource carries both.
        Tags.of(this).add("app", "steward");
        Tags.of(this).add("stage", config.name());
    }

    public StewardStack stack() {
        return stack;
    }
}
