package dev.steward.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The three stages, synthesized once per test JVM (the first synth costs 7-28 s of jsii/node start-up; every
 * test class shares this one), and stage and prod under the non-default providers ({@link #withProviders()}). No
 * AWS credentials are involved: the stacks are environment-agnostic.
 */
final class SynthesizedStages {
    /** One synthesized stage: its constructs, its template, and the folder of its cloud assembly. */
    record Synthesized(StewardStage stage, Template template, Map<String, Object> json, Path assemblyDir) {
        StewardStack stack() {
            return stage.stack();
        }

        /** The CloudFormation logical id of a construct (or of its default L1 child). */
        String logicalId(IConstruct construct) {
            var element = construct instanceof CfnElement cfn ? cfn : (CfnElement) construct.getNode().getDefaultChild();
            return stack().getLogicalId(element);
        }

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources() {
            return (Map<String, Map<String, Object>>) json.get("Resources");
        }
    }

    private static final class Holder {
        static final SynthesizedStages INSTANCE = new SynthesizedStages(Map.of(), Set.of("dev", "stage", "prod"));
    }

    private static final class ProvidersHolder {
        static final SynthesizedStages INSTANCE = new SynthesizedStages(providersContext(), Set.of("stage", "prod"));
    }

    final Path workDir;
    final Path repoRoot;
    final Path testJar;
    final StewardInputs inputs;
    final Map<String, Synthesized> byStage = new LinkedHashMap<>();

    /** dev, stage and prod with an empty context, as {@code cdk synth} without {@code -c} makes them. */
    static SynthesizedStages get() {
        return Holder.INSTANCE;
    }

    /**
     * stage and prod with the non-default providers of {@link GuardrailProviderStackTest#CONTEXT},
     * {@link RerankingStackTest#CONTEXT}, {@link ModelStackTest#CONTEXT} and {@link SignInStackTest#CONTEXT}, in one app: each test class checks its own variables and statements, and
     * a second non-default app would cost another synthesis.
     */
    static SynthesizedStages withProviders() {
        return ProvidersHolder.INSTANCE;
    }

    private static Map<String, Object> providersContext() {
        var context = new LinkedHashMap<String, Object>(GuardrailProviderStackTest.CONTEXT);
        context.putAll(RerankingStackTest.CONTEXT);
        context.putAll(ModelStackTest.CONTEXT);
        context.putAll(SignInStackTest.CONTEXT);
        return context;
    }

    /** The named stages of one app built with {@code context} the way {@link StewardApp#main} builds it. */
    private SynthesizedStages(Map<String, Object> context, Set<String> stageNames) {
        try {
            workDir = Files.createTempDirectory("steward-cdk-test");
            if (Boolean.getBoolean("steward.cdk.keepOutput")) {
                System.out.println("cloud assembly kept in " + workDir.resolve("cdk.out"));
            } else {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(workDir)));
            }
            repoRoot = StewardInputs.findRepoRoot(Path.of(""));
            testJar = writeTestJar(workDir.resolve("test-lambda.jar"));
            inputs = new StewardInputs(FunctionAssets.sameJarForAll(testJar),
                    repoRoot.resolve(StewardInputs.AGENT_LOOP_ASL), Optional.empty());
            var app = new App(AppProps.builder().outdir(workDir.resolve("cdk.out").toString()).context(context).build());
            var configs = StewardApp.configs(app).stream().filter(c -> stageNames.contains(c.name())).toList();
            var stages = StewardApp.build(app, inputs, configs);
            app.synth();
            for (var stage : stages) {
                byStage.put(stage.getStageName(), synthesized(stage));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the stage's template from its (cached) assembly instead of synthesizing again. */
    @SuppressWarnings("unchecked")
    static Synthesized synthesized(StewardStage stage) {
        var assembly = stage.synth();
        var artifact = assembly.getStackArtifact(stage.stack().getArtifactId());
        var json = (Map<String, Object>) artifact.getTemplate();
        return new Synthesized(stage, Template.fromJSON(json), json, Path.of(assembly.getDirectory()));
    }

    Synthesized stage(String name) {
        return byStage.get(name);
    }

    /** A real (tiny) jar: CDK hashes and stages the file as a Lambda zip asset. */
    static Path writeTestJar(Path jar) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new ZipEntry("dev/steward/README.txt"));
            out.write("placeholder for the shaded Lambda jar".getBytes());
            out.closeEntry();
        }
        return jar;
    }

    static void deleteRecursively(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }
}
