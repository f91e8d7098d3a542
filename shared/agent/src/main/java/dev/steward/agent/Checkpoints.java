package dev.steward.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.PromptInjectionGuardrail;
import dev.steward.guardrails.injection.Quarantine;
import dev.steward.guardrails.injection.TaskDrift;
import dev.steward.guardrails.pii.PiiGuardrail;
import dev.steward.guardrails.pii.PiiRedactor;
import dev.steward.guardrails.pii.PiiScanner;
import dev.steward.guardrails.pii.PiiType;
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import dev.steward.guardrails.toxicity.ToxicityGuardrail;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.store.vault.VaultStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The guardrails at the loop's checkpoints (ARCHITECTURE.md section 6) and what the loop does with their verdicts.
 * Every text that enters or leaves the loop passes one {@link Session}: the user's input, each retrieved chunk,
 * each tool call's arguments, each tool result and the answer.
 *
 * <p>What the loop does per checkpoint:
 * <ul>
 *   <li>personal data is replaced by the run's placeholders everywhere the model reads or the run stores text,
 *       except in tool arguments, which carry the model's placeholders and are re-hydrated just before the tool
 *       runs;</li>
 *   <li>a prompt injection in the input denies the run; in a chunk or tool result it is quarantined (wrapped as
 *       data, see {@link dev.steward.guardrails.injection.Quarantine}); in tool arguments the call goes to a
 *       person; in the answer it is flagged;</li>
 *   <li>toxic language in the answer withholds the answer; in the input or tool arguments it is flagged (input) or
 *       sent to a person (tool arguments); in data it is allowed.</li>
 * </ul>
 * Detectors read the original text (their verdict does not depend on a run's placeholders), and their results for
 * document chunks are cached by text, so a popular chunk is scanned once per process, not once per run.
 * Thread-safe; a session is not (one per step invocation).
 */
public final class Checkpoints {
    /** What {@link #prime} checks: an e-mail address, a phone number, and a request among statements. */
    private static final String PROBE = "Refunds are paid within five business days of the return. Write to jane.doe@example.com "
            + "or call +1 415 555 0132 with the receipt number. The receipt number is on the first page of the invoice. "
            + "Please send the signed return form back to us by Friday.";
    private static final TenantId PRIMING_TENANT = new TenantId("priming");
    private static final RunId PRIMING_RUN = new RunId("run_priming0");

    private final PiiRedactor redactor;
    private final List<Guardrail> detectors;
    /**
     * Detector results for document chunks, by text: the same chunks are retrieved by run after run, and what the
     * detectors find in a text does not depend on the run (each run still gets its own placeholders).
     */
    private final Cache<String, Detected> documentText = Caffeine.newBuilder()
            .maximumWeight(32L << 20).weigher((String text, Detected d) -> 2 * text.length() + 64).build();

    /** A service's PII guardrail for one run, redacting into that run's vault (e.g. Amazon Comprehend). */
    private final Optional<Function<PiiVault, Guardrail>> servicePii;
    /** A service's content guardrails (e.g. Comprehend toxicity, a Bedrock guardrail), run on the redacted text. */
    private final List<Guardrail> serviceDetectors;

    public Checkpoints(PiiScanner pii, InjectionDetector injection, ToxicityClassifier toxicity) {
        this(pii, List.of(new PromptInjectionGuardrail(injection), new ToxicityGuardrail(toxicity)), Optional.empty(), List.of());
    }

    /**
     * Local detectors plus a service's: {@code servicePii}, when present, replaces local PII redaction (it must
     * redact into the vault it is given, with the same placeholders); {@code serviceDetectors} run after PII
     * redaction, on the redacted text, at every check (their verdicts are not cached: a service may mask text,
     * and the masked text carries the run's placeholders).
     */
    public Checkpoints(PiiScanner pii, List<Guardrail> localDetectors, Optional<Function<PiiVault, Guardrail>> servicePii,
            List<Guardrail> serviceDetectors) {
        this.redactor = new PiiRedactor(Objects.requireNonNull(pii, "pii"));
        this.detectors = List.copyOf(localDetectors);
        this.servicePii = Objects.requireNonNull(servicePii, "servicePii");
        this.serviceDetectors = List.copyOf(serviceDetectors);
    }

    /**
     * Every PII type; injection and toxicity from their built-in lexicons, and data also searched for off-task
     * requests ({@link TaskDrift}) with the bundled bge-small sentence vectors, whatever embedder the knowledge base
     * uses (the model is loaded on first use, in this process).
     */
    public static Checkpoints defaults() {
        return new Checkpoints(PiiScanner.all(), List.of(injection(), new ToxicityGuardrail(ToxicityClassifier.lexiconOnly())),
                Optional.empty(), List.of());
    }

    private static Guardrail injection() {
        return new PromptInjectionGuardrail(InjectionDetector.lexiconOnly(),
                Optional.of(new TaskDrift(sentences -> BgeSmallEmbedder.shared().embedAll(sentences))));
    }

    /**
     * The checkpoints of the configured provider ({@code STEWARD_GUARDRAILS_PROVIDER}): {@code local} is
     * {@link #defaults()}; {@code comprehend} redacts PII and scores toxicity with Amazon Comprehend; {@code bedrock}
     * keeps local PII redaction and applies a Bedrock guardrail in place of local toxicity. The local injection
     * detector runs with every provider (neither service has an indirect-injection check for tool traffic).
     */
    public static Checkpoints of(GuardrailProviders providers) {
        Guardrail injection = injection();
        return switch (providers.provider()) {
            case LOCAL -> defaults();
            case COMPREHEND -> new Checkpoints(PiiScanner.all(), List.of(injection), Optional.of(providers::pii), providers.detectors());
            case BEDROCK -> new Checkpoints(PiiScanner.all(), List.of(injection), Optional.empty(), providers.detectors());
        };
    }

    /** Checks for one step of one run, with the run's vault loaded from and saved to {@code vaults}. */
    public Session open(VaultStore vaults, TenantId tenant, RunId run) {
        return new Session(vaults, tenant, run, false);
    }

    /**
     * As {@link #open(VaultStore, TenantId, RunId)}, for a run whose stored state mentions no placeholder
     * ({@link PiiVault#mentionsPlaceholder}) when {@code noPlaceholdersYet}: nothing the run kept refers to a vault
     * entry, so the vault starts empty without a read, and a save replaces whatever an unfinished earlier attempt
     * of the step may have stored (entries nothing refers to).
     */
    public Session open(VaultStore vaults, TenantId tenant, RunId run, boolean noPlaceholdersYet) {
        return new Session(vaults, tenant, run, noPlaceholdersYet);
    }

    /**
     * Runs the local detectors of each of {@code stages}, and the PII redaction, once over a probe text with a little
     * of everything they look for (an e-mail address, a phone number, a request among statements), so that what they
     * load on first use is loaded now: name lists and lexicons, and on data the bundled sentence model of the
     * off-task check. For priming before a SnapStart snapshot ({@link dev.steward.core.runtime.Priming}): no store,
     * no guardrail service, no network.
     */
    public void prime(Stage... stages) {
        for (Stage stage : stages) {
            detect(stage, PROBE, PRIMING_TENANT, PRIMING_RUN);
        }
        redactor.redact(PROBE, new PiiVault(PRIMING_TENANT, PRIMING_RUN));
    }


    /** What a checkpoint decided about one text: the text the loop uses from now on, and the combined verdict. */
    public record Checked(String text, Verdict verdict) {
        public boolean denied() {
            return verdict instanceof Verdict.Deny;
        }

        public boolean asks() {
            return verdict instanceof Verdict.Ask;
        }
    }

    /** What the detectors found in one text, before any run's placeholders: whether it has PII, and their verdicts. */
    private record Detected(boolean pii, List<Verdict> verdicts) {}

    private Detected detect(Stage stage, String text, TenantId tenant, RunId run) {
        // With a PII service configured the local scan would be thrown away: the service sees every text instead.
        boolean pii = servicePii.isEmpty() && stage != Stage.TOOL_ARGUMENTS && !redactor.scanner().scan(text).isEmpty();
        List<Verdict> verdicts = new ArrayList<>(detectors.size());
        for (Guardrail g : detectors) {
            Verdict v = g.check(new GuardrailInput(tenant, run, stage, text));
            if (!(v instanceof Verdict.Allow)) {
                verdicts.add(v);
            }
        }
        return new Detected(pii, verdicts);
    }

    public final class Session {
        private final VaultStore vaults;
        private final TenantId tenant;
        private final RunId run;
        private PiiVault vault;
        private int savedEntries;
        private final Map<Stage, List<GuardVerdict.Reason>> reasons = new EnumMap<>(Stage.class);
        private final Map<Stage, Verdict> worst = new EnumMap<>(Stage.class);
        private final Map<Stage, String> actions = new EnumMap<>(Stage.class);

        private final boolean startEmpty;

        private Session(VaultStore vaults, TenantId tenant, RunId run, boolean startEmpty) {
            this.vaults = vaults;
            this.tenant = tenant;
            this.run = run;
            this.startEmpty = startEmpty;
        }

        /**
         * Checks {@code text} at {@code stage}; {@code subject} names it in the step's verdicts (a chunk id, a call
         * id, "input", "answer"). Returns the text to use (redacted or quarantined) and the most severe verdict.
         */
        public Checked check(Stage stage, String subject, String text) {
            Detected detected = stage == Stage.RETRIEVED_CHUNK
                    ? documentText.get(text, t -> detect(stage, t, tenant, run))
                    : detect(stage, text, tenant, run);
            String current = text;
            Verdict combined = Verdict.allow();
            List<Finding> findings = new ArrayList<>();
            // The vault is read from the store only when there is something to redact: most texts have no PII. A
            // PII service sees every text but tool arguments (which carry the model's placeholders).
            if (detected.pii() || (servicePii.isPresent() && stage != Stage.TOOL_ARGUMENTS)) {
                Guardrail piiGuard = servicePii.isPresent() ? servicePii.get().apply(vault()) : new PiiGuardrail(redactor, vault());
                Verdict pii = piiGuard.check(new GuardrailInput(tenant, run, stage, current));
                if (pii instanceof Verdict.Redact r) {
                    current = r.text();
                    findings.addAll(r.findings());
                    combined = r;
                }
            }
            for (Guardrail service : serviceDetectors) {
                Verdict v = service.check(new GuardrailInput(tenant, run, stage, current));
                findings.addAll(v.findings());
                if (v instanceof Verdict.Redact r) {
                    current = r.text(); // a service's masking of the already redacted text
                }
                if (v.severity() > combined.severity()) {
                    combined = v;
                }
            }
            for (Verdict v : detected.verdicts()) {
                findings.addAll(v.findings());
                if (v instanceof Verdict.Redact) {
                    // The detectors' only transformation is the quarantine; wrap the redacted text, never the original.
                    current = Quarantine.wrap(current, stage.name().toLowerCase(java.util.Locale.ROOT));
                }
                if (v.severity() > combined.severity()) {
                    combined = v;
                }
            }
            Checked checked = new Checked(current, combined);
            record(stage, subject, combined, findings);
            return checked;
        }

        /**
         * {@code text} with this run's placeholders replaced by the values they stand for: for tool arguments as they
         * leave for the tool, and for the search query. Never for anything the model reads or the run stores.
         */
        public String rehydrate(String text) {
            return text.indexOf('<') < 0 ? text : vault().rehydrate(text);
        }

        /** Tool arguments with this run's placeholders replaced by the values they stand for (see above). */
        public JsonNode rehydrate(JsonNode arguments) {
            return Json.tree(rehydrate(Json.write(arguments)));
        }

        /** {@code text} with personal data replaced by this run's placeholders, without recording a verdict. */
        public String redact(String text) {
            return redactor.scanner().scan(text).isEmpty() ? text : redactor.redact(text, vault()).text();
        }

        /** Records a decision that is not a detector's (a tenant policy rule) at {@code stage}. */
        public void recordDecision(Stage stage, String subject, Verdict verdict) {
            record(stage, subject, verdict, verdict.findings());
        }

        /**
         * Records a redaction made before this step, by the API as the run was created ({@code RunRecord.inputCheck}),
         * as if this step's check of {@code subject} at {@code stage} had made it: a REDACT verdict with its reasons.
         */
        public void adoptRedaction(Stage stage, String subject, GuardVerdict earlier, String redactedText) {
            List<Finding> findings = earlier.reasons().stream()
                    .map(r -> Finding.of(r.detector(), r.category(), r.score(), r.detail())).toList();
            if (!findings.isEmpty()) {
                record(stage, subject, new Verdict.Redact(redactedText, findings), findings);
            }
        }

        /** Sets what the loop did at {@code stage} when it differs from the verdict (e.g. FLAGGED, QUARANTINED). */
        public void action(Stage stage, String action) {
            actions.put(stage, action);
        }

        /** The step's verdicts, one per checkpoint it passed, in loop order. */
        private List<GuardVerdict> verdicts() {
            List<GuardVerdict> out = new ArrayList<>();
            worst.forEach((stage, v) -> out.add(new GuardVerdict(stage.name(), name(v), actions.get(stage), reasons.get(stage))));
            return out;
        }

        /** Persists the run's vault when this step added placeholders to it. */
        /** Ends the step's checks: saves the vault if the step grew it, and returns the verdicts for its record. */
        public List<GuardVerdict> close() {
            save();
            return verdicts();
        }

        private void save() {
            if (vault != null && vault.size() > savedEntries) {
                vaults.put(tenant, run, vault.entries().stream()
                        .map(e -> new VaultStore.Entry(e.type().name(), e.placeholder(), e.original())).toList());
                savedEntries = vault.size();
            }
        }

        private PiiVault vault() {
            if (vault == null) {
                List<PiiVault.Entry> entries = startEmpty ? List.of() : vaults.get(tenant, run).stream()
                        .map(e -> new PiiVault.Entry(PiiType.valueOf(e.type()), e.placeholder(), e.original())).toList();
                vault = PiiVault.restore(tenant, run, entries);
                savedEntries = vault.size();
            }
            return vault;
        }

        private void record(Stage stage, String subject, Verdict verdict, List<Finding> findings) {
            List<GuardVerdict.Reason> list = reasons.computeIfAbsent(stage, s -> new ArrayList<>());
            for (Finding f : findings) {
                list.add(f.reason(subject));
            }
            Verdict before = worst.get(stage);
            if (before == null || verdict.severity() > before.severity()) {
                worst.put(stage, verdict);
            }
        }

        private static String name(Verdict v) {
            return switch (v) {
                case Verdict.Allow a -> "ALLOW";
                case Verdict.Redact r -> "REDACT";
                case Verdict.Ask a -> "ASK";
                case Verdict.Deny d -> "DENY";
            };
        }
    }
}
