package dev.steward.guardrails.bench;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.InjectionDetector.Mode;
import dev.steward.guardrails.pii.PiiRedactor;
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Latency of all detectors together on 1 KB blocks: PII redaction (scan + replace, fresh vault), injection
 * score (indirect mode, the slower one: it scores every window) and toxicity score, one after the other on one
 * thread. Blocks are 1,024-character slices of the evaluation texts joined with newlines; after a warm-up, each
 * block is timed several times and p50/p99 are taken over all timings. 1 KB blocks make "per KB" literal
 * instead of dividing the fixed cost of tiny texts by their size.
 */
final class LatencyEval {
    record Result(double p50, double p99, int blocks, int timings, double piiP50, double injectionP50, double toxicityP50) {}

    static Result run(List<String> texts, PiiRedactor redactor, InjectionDetector injection, ToxicityClassifier toxicity) {
        List<String> blocks = blocks(texts, 1024, 400);
        TenantId tenant = TenantId.of("bench");
        RunId run = RunId.random();
        for (int w = 0; w < 3; w++) {
            for (String b : blocks) {
                redactor.redact(b, new PiiVault(tenant, run));
                injection.score(b, Mode.INDIRECT);
                toxicity.score(b);
            }
        }
        int repeats = 5;
        double[] total = new double[blocks.size() * repeats];
        double[] pii = new double[total.length];
        double[] inj = new double[total.length];
        double[] tox = new double[total.length];
        int k = 0;
        for (int r = 0; r < repeats; r++) {
            for (String b : blocks) {
                long t0 = System.nanoTime();
                redactor.redact(b, new PiiVault(tenant, run));
                long t1 = System.nanoTime();
                injection.score(b, Mode.INDIRECT);
                long t2 = System.nanoTime();
                toxicity.score(b);
                long t3 = System.nanoTime();
                pii[k] = (t1 - t0) / 1e6;
                inj[k] = (t2 - t1) / 1e6;
                tox[k] = (t3 - t2) / 1e6;
                total[k++] = (t3 - t0) / 1e6;
            }
        }
        return new Result(percentile(total, 50), percentile(total, 99), blocks.size(), total.length,
                percentile(pii, 50), percentile(inj, 50), percentile(tox, 50));
    }

    static List<String> blocks(List<String> texts, int size, int max) {
        StringBuilder all = new StringBuilder();
        for (String t : texts) {
            all.append(t).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i + size <= all.length() && out.size() < max; i += size) {
            out.add(all.substring(i, i + size));
        }
        if (out.isEmpty()) {
            String s = all.toString();
            while (s.length() < size) {
                s = s + "\n" + (s.isBlank() ? "empty" : s);
            }
            out.add(s.substring(0, size));
        }
        return out;
    }

    static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }
}
