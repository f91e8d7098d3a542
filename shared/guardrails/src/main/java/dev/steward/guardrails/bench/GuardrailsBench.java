package dev.steward.guardrails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.pii.PiiRedactor;
import dev.steward.guardrails.pii.PiiScanner;
import dev.steward.guardrails.pii.PiiType;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark of the guardrail detectors on the third-party evaluation sets in {@code ../shared/datasets}.
 *
 * <pre>
 * GuardrailsBench [--datasets DIR] [--json] [--pii-split dev|test] [--errors N] [--injection-cv]
 * </pre>
 * DIR defaults to {@code ../shared/datasets}, resolved against the working directory (the repository root when
 * run through Maven from there). It must hold {@code pii/}, {@code prompt_injection/} and {@code toxicity/} as
 * described in their SOURCE.md files; a missing directory or file is reported and the exit code is 2.
 *
 * <h2>PII: span-level, overlap-based, by entity type</h2>
 * Presidio synthetic v2. Gold types map to ours (EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, CREDIT_CARD, IBAN_CODE,
 * IP_ADDRESS, STREET_ADDRESS, PERSON); the other gold types (GPE, ORGANIZATION, DATE_TIME, TITLE, AGE, NRP,
 * ZIP_CODE, DOMAIN_NAME, US_DRIVER_LICENSE) are not in scope and are not scored as gold. Matching rule:
 * <ul>
 *   <li>a gold span is <b>found</b> if at least one predicted span of the same type overlaps it by at least one
 *       character;</li>
 *   <li>a predicted span is <b>correct</b> if it overlaps at least one gold span of the same type; a predicted
 *       span that overlaps only out-of-scope gold (a PERSON over an ORGANIZATION) or nothing is a false
 *       positive;</li>
 *   <li>recall = found gold / gold, precision = correct predictions / predictions, F2 = 5PR / (4P + R);
 *       "overall" sums the counts of all eight types (micro average).</li>
 * </ul>
 * Overlap (not exact boundaries) because a redaction that covers the value is what matters, and the gold
 * boundaries of addresses are inconsistent (one template labels "Apt. 117" and "54005" as separate addresses,
 * another labels the whole block as one). One prediction may match several gold spans.
 * <p>Split: records with {@code template_id % 3 == 0} (496) are the DEV part, used to tune the rules; the other
 * 1,004 records (unseen templates) are the TEST part, which is what the benchmark reports by default.
 *
 * <h2>Prompt injection</h2>
 * Trained on deepset's train rows (70%, stratified, seed 42) and BIPIA's train emails and train attacks; the
 * flag threshold is chosen on out-of-fold training scores. Reported on the held-out 30% of deepset (direct mode)
 * plus BIPIA's test emails, clean and with each test attack inserted (indirect mode). Recall at 1% and 5% FPR
 * use the threshold that keeps the pooled test negatives' FPR at or below the rate (the usual ROC reading); the
 * text output also shows recall and FPR at the threshold picked on training data.
 *
 * <h2>Toxicity</h2>
 * Davidson sample split 70/30 (stratified, seed 42), trained on 70%, precision/recall/F1 of the toxic class on
 * the held-out 30% at the threshold chosen on training data.
 *
 * <h2>Latency</h2>
 * All three detectors on 1 KB blocks, one thread, after warm-up: p50 and p99 in milliseconds per KB.
 *
 * <p>With {@code --json} the last line printed is one JSON object:
 * {@code {"pii": {"precision","recall","f2","by_type"}, "injection": {"recall_at_fpr_0.01","recall_at_fpr_0.05"},
 * "toxicity": {"precision","recall","f1"}, "latency_ms_per_kb": {"p50","p99"}}}, plus, when
 * {@code tickets/helpdesk_tickets_en_de.jsonl} is present, {@code "benign_helpdesk_flag_rate":
 * {"half","injection_direct","injection_indirect","injection_indirect_reply","injection_indirect_de","toxicity_reply"}}
 * on the held-out half of the tickets ({@code --helpdesk-dev}: the dev half; see {@link BenignEval}).
 */
public final class GuardrailsBench {
    private GuardrailsBench() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the benchmark; returns the process exit code (0 ok, 2 usage or missing data). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path datasets = Path.of("../shared/datasets");
        boolean json = false;
        PiiEval.Split split = PiiEval.Split.TEST;
        int errors = 0;
        boolean injectionCv = false;
        BenignEval.Half helpdeskHalf = BenignEval.Half.HELD_OUT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datasets" -> {
                    if (i + 1 >= args.length) {
                        err.println("--datasets needs a directory");
                        return 2;
                    }
                    datasets = Path.of(args[++i]);
                }
                case "--json" -> json = true;
                case "--pii-split" -> split = PiiEval.Split.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--errors" -> errors = Integer.parseInt(args[++i]);
                case "--injection-cv" -> injectionCv = true;
                case "--helpdesk-dev" -> helpdeskHalf = BenignEval.Half.DEV;
                case "-h", "--help" -> {
                    out.println("usage: GuardrailsBench [--datasets DIR] [--json] [--pii-split dev|test] [--errors N] "
                            + "[--injection-cv] [--helpdesk-dev]");
                    return 0;
                }
                default -> {
                    err.println("unknown argument: " + args[i]);
                    return 2;
                }
            }
        }
        Path dir = datasets.toAbsolutePath().normalize();
        List<Path> required = List.of(
                dir.resolve("pii/presidio_synth_dataset_v2.jsonl"),
                dir.resolve("prompt_injection/deepset_prompt_injections_train.jsonl"),
                dir.resolve("prompt_injection/bipia_email_train.jsonl"),
                dir.resolve("prompt_injection/bipia_email_test.jsonl"),
                dir.resolve("prompt_injection/bipia_text_attacks_train.jsonl"),
                dir.resolve("prompt_injection/bipia_text_attacks_test.jsonl"),
                dir.resolve("toxicity/davidson_sample.jsonl"));
        if (!Files.isDirectory(dir)) {
            err.println("datasets directory not found: " + dir + " (working directory "
                    + Path.of("").toAbsolutePath() + "); pass --datasets DIR");
            return 2;
        }
        for (Path p : required) {
            if (!Files.isRegularFile(p)) {
                err.println("dataset file missing: " + p);
                return 2;
            }
        }
        if (errors > 0 && split == PiiEval.Split.TEST) {
            err.println("--errors lists individual mistakes and is only allowed with --pii-split dev: "
                    + "the test part must not be used for tuning");
            return 2;
        }

        if (injectionCv) {
            List<InjectionEval.Scored> oof = InjectionEval.crossValidate(dir.resolve("prompt_injection"));
            out.printf(Locale.ROOT, "Prompt injection, %d-fold out-of-fold on the training parts only (BIPIA folds hold "
                    + "out whole attack categories)%n", 5);
            for (String source : java.util.Arrays.asList(null, "deepset", "bipia")) {
                out.printf(Locale.ROOT, "  %-8s recall at FPR <= 1%%: %.3f   at FPR <= 5%%: %.3f%n",
                        source == null ? "pooled" : source, InjectionEval.recallAtFpr(oof, source, 0.01),
                        InjectionEval.recallAtFpr(oof, source, 0.05));
            }
            oof.stream().filter(sc -> !sc.injection()).sorted((x, y) -> Double.compare(y.score(), x.score())).limit(errors)
                    .forEach(sc -> out.printf(Locale.ROOT, "  top benign %s %.3f %s%n", sc.source(), sc.score(), oneLine(sc.text())));
            oof.stream().filter(InjectionEval.Scored::injection).sorted((x, y) -> Double.compare(x.score(), y.score())).limit(errors)
                    .forEach(sc -> out.printf(Locale.ROOT, "  low attack %s %.3f %s%n", sc.source(), sc.score(), oneLine(sc.text())));
            return 0;
        }
        out.println("Guardrails benchmark, datasets " + dir);
        PiiScanner scanner = PiiScanner.all();
        PiiEval.Result pii = PiiEval.run(required.get(0), scanner, split, errors);
        out.printf(Locale.ROOT, "%nPII (Presidio synthetic v2, %s part, %d texts; overlap match by type)%n", split, pii.documents());
        out.printf(Locale.ROOT, "  %-15s %6s %6s %6s %9s %6s%n", "type", "prec", "recall", "F2", "gold", "pred");
        for (PiiType t : PiiType.values()) {
            PiiEval.Counts c = pii.byType().get(t);
            out.printf(Locale.ROOT, "  %-15s %6.3f %6.3f %6.3f %4d/%-4d %6d%n", t, c.precision(), c.recall(), c.f2(),
                    c.goldFound(), c.gold(), c.predicted());
        }
        PiiEval.Counts o = pii.overall();
        out.printf(Locale.ROOT, "  %-15s %6.3f %6.3f %6.3f %4d/%-4d %6d%n", "OVERALL", o.precision(), o.recall(), o.f2(),
                o.goldFound(), o.gold(), o.predicted());
        pii.errors().forEach(e -> out.println("  " + e));

        InjectionEval.Result inj = InjectionEval.run(dir.resolve("prompt_injection"));
        long pos = inj.test().stream().filter(InjectionEval.Scored::injection).count();
        out.printf(Locale.ROOT, "%nPrompt injection (held-out: deepset 30%% + BIPIA test; %d injected / %d benign; "
                + "trained on %d direct + %d indirect items in %d ms)%n", pos, inj.test().size() - pos,
                inj.trainDirect(), inj.trainIndirect(), inj.trainMillis());
        out.printf(Locale.ROOT, "  recall at FPR <= 1%%: %.3f   at FPR <= 5%%: %.3f%n", inj.recallAt1(), inj.recallAt5());
        for (String source : List.of("deepset", "bipia")) {
            out.printf(Locale.ROOT, "  %-8s recall at FPR <= 1%%: %.3f   at FPR <= 5%%: %.3f%n", source,
                    InjectionEval.recallAtFpr(inj.test(), source, 0.01), InjectionEval.recallAtFpr(inj.test(), source, 0.05));
        }
        InjectionEval.FlagRates trainedFlags = InjectionEval.flagRates(inj.test(), inj.detector());
        out.printf(Locale.ROOT, "  at the thresholds chosen on training data (target FPR %.0f%%): recall %.3f, FPR %.3f%n",
                InjectionEval.TRAIN_TARGET_FPR * 100, trainedFlags.recall(), trainedFlags.fpr());
        InjectionDetector lexiconDetector = InjectionDetector.lexiconOnly();
        List<InjectionEval.Scored> lexiconScored = InjectionEval.scoreHeldOut(dir.resolve("prompt_injection"), lexiconDetector);
        InjectionEval.FlagRates lexiconFlags = InjectionEval.flagRates(lexiconScored, lexiconDetector);
        out.printf(Locale.ROOT, "  lexicon only (the loop's default detector), its own flags: recall %.3f, FPR %.3f "
                        + "(deepset %.3f, bipia %.3f)%n", lexiconFlags.recall(), lexiconFlags.fpr(),
                InjectionEval.flagRates(bySource(lexiconScored, "deepset"), lexiconDetector).recall(),
                InjectionEval.flagRates(bySource(lexiconScored, "bipia"), lexiconDetector).recall());

        ToxicityEval.Result tox = ToxicityEval.run(dir.resolve("toxicity"));
        ToxicityEval.Confusion c = tox.test();
        out.printf(Locale.ROOT, "%nToxicity (Davidson held-out 30%%, %d tweets; trained on %d in %d ms, threshold %.3f)%n",
                c.total(), tox.train(), tox.trainMillis(), tox.classifier().threshold());
        out.printf(Locale.ROOT, "  toxic class: precision %.3f recall %.3f F1 %.3f   non-toxic class F1 %.3f%n",
                c.precision(), c.recall(), c.f1(), c.negativeF1());
        out.printf(Locale.ROOT, "  baseline 'everything is toxic': F1 %.3f (the set is %.0f%% toxic)%n",
                tox.allToxicBaseline().f1(), 100.0 * (c.tp() + c.fn()) / c.total());
        if (tox.jigsaw() != null) {
            ToxicityEval.Confusion j = tox.jigsaw();
            out.printf(Locale.ROOT, "  Jigsaw smoke sample (%d comments, lower-cased, other domain): precision %.3f recall %.3f F1 %.3f%n",
                    j.total(), j.precision(), j.recall(), j.f1());
        }

        Path tickets = dir.resolve("tickets").resolve(BenignEval.FILE);
        BenignEval.Rates benign = null;
        if (Files.exists(tickets)) {
            benign = BenignEval.run(tickets, helpdeskHalf, inj.detector(), tox.classifier());
            BenignEval.Rates lexicon = BenignEval.run(tickets, helpdeskHalf, InjectionDetector.lexiconOnly(),
                    ToxicityClassifier.lexiconOnly());
            out.printf(Locale.ROOT, "%nBenign helpdesk text (%s half: %d English tickets, %d German; share flagged; trained / "
                    + "lexicon only)%n"
                    + "  injection, body as user input: %.3f / %.3f   body as tool result: %.3f / %.3f%n"
                    + "  injection, agent reply as tool result: %.3f / %.3f   German body as tool result: %.3f / %.3f%n"
                    + "  toxicity, agent reply: %.3f / %.3f%n", helpdeskHalf == BenignEval.Half.DEV ? "dev (odd rows)"
                    : "held-out (even rows)", benign.tickets(), benign.germanTickets(),
                    benign.injectionDirect(), lexicon.injectionDirect(), benign.injectionIndirect(),
                    lexicon.injectionIndirect(), benign.injectionIndirectReply(), lexicon.injectionIndirectReply(),
                    benign.injectionIndirectGerman(), lexicon.injectionIndirectGerman(),
                    benign.toxicityReply(), lexicon.toxicityReply());
        }

        List<String> texts = new ArrayList<>();
        Jsonl.read(required.get(0)).forEach(r -> texts.add(r.path("full_text").asText()));
        Jsonl.read(required.get(3)).forEach(r -> texts.add(r.path("context").asText()));
        Jsonl.read(required.get(6)).forEach(r -> texts.add(r.path("text").asText()));
        LatencyEval.Result lat = LatencyEval.run(texts, new PiiRedactor(scanner), inj.detector(), tox.classifier());
        out.printf(Locale.ROOT, "%nLatency, all detectors, per 1 KB block (%d blocks x 5): p50 %.3f ms, p99 %.3f ms "
                + "(p50 PII %.3f, injection %.3f, toxicity %.3f)%n", lat.blocks(), lat.p50(), lat.p99(),
                lat.piiP50(), lat.injectionP50(), lat.toxicityP50());

        if (json) {
            ObjectNode root = Json.object();
            ObjectNode p = root.putObject("pii");
            p.put("precision", round(o.precision()));
            p.put("recall", round(o.recall()));
            p.put("f2", round(o.f2()));
            ObjectNode byType = p.putObject("by_type");
            for (PiiType t : PiiType.values()) {
                PiiEval.Counts tc = pii.byType().get(t);
                ObjectNode n = byType.putObject(t.name());
                n.put("precision", round(tc.precision()));
                n.put("recall", round(tc.recall()));
                n.put("f2", round(tc.f2()));
                n.put("gold", tc.gold());
                n.put("predicted", tc.predicted());
            }
            ObjectNode i = root.putObject("injection");
            i.put("recall_at_fpr_0.01", round(inj.recallAt1()));
            i.put("recall_at_fpr_0.05", round(inj.recallAt5()));
            i.putObject("lexicon_only").put("recall", round(lexiconFlags.recall())).put("fpr", round(lexiconFlags.fpr()));
            ObjectNode t = root.putObject("toxicity");
            t.put("precision", round(c.precision()));
            t.put("recall", round(c.recall()));
            t.put("f1", round(c.f1()));
            if (benign != null) {
                ObjectNode b = root.putObject("benign_helpdesk_flag_rate");
                b.put("half", helpdeskHalf == BenignEval.Half.DEV ? "dev" : "held-out");
                b.put("injection_direct", round(benign.injectionDirect()));
                b.put("injection_indirect", round(benign.injectionIndirect()));
                b.put("injection_indirect_reply", round(benign.injectionIndirectReply()));
                b.put("injection_indirect_de", round(benign.injectionIndirectGerman()));
                b.put("toxicity_reply", round(benign.toxicityReply()));
            }
            ObjectNode l = root.putObject("latency_ms_per_kb");
            l.put("p50", round(lat.p50()));
            l.put("p99", round(lat.p99()));
            out.println(Json.write(root));
        }
        out.flush();
        return 0;
    }

    private static List<InjectionEval.Scored> bySource(List<InjectionEval.Scored> scored, String source) {
        return scored.stream().filter(s -> s.source().equals(source)).toList();
    }

    private static String oneLine(String s) {
        String flat = s.replace("\n", "\\n");
        return flat.length() > 150 ? flat.substring(0, 150) + "..." : flat;
    }

    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
    }

    static JsonNode parseLastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return Json.tree(lines[lines.length - 1]);
    }
}
