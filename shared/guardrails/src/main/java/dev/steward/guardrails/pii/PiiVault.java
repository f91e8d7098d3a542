package dev.steward.guardrails.pii;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The per-run map between placeholders and the personal data they stand for, so that a tool call or an answer
 * can be re-hydrated before it leaves the trust boundary. One vault per run, tagged with its tenant and run.
 *
 * <p>Contract: the same value (after {@link PiiType#normalize}) always gets the same placeholder within the
 * vault; placeholders are numbered per type from 1 in order of first sight ({@code <EMAIL_1>},
 * {@code <PHONE_2>}). In memory only for now; it holds raw PII, so it must never be logged or persisted as is.
 * Thread-safe (parallel tool calls of one run may share it).
 */
public final class PiiVault {
    private final TenantId tenant;
    private final RunId run;
    private final Map<PiiType, Map<String, String>> placeholderByValue = new EnumMap<>(PiiType.class);
    private final Map<String, String> originalByPlaceholder = new LinkedHashMap<>(); // in order of issue
    private final Map<String, PiiType> typeByPlaceholder = new HashMap<>();
    private final Map<PiiType, Integer> counters = new EnumMap<>(PiiType.class);

    public PiiVault(TenantId tenant, RunId run) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.run = Objects.requireNonNull(run, "run");
    }

    public TenantId tenant() {
        return tenant;
    }

    public RunId run() {
        return run;
    }

    /** The placeholder for {@code value}, creating it on first sight. */
    public synchronized String placeholderFor(PiiType type, String value) {
        Map<String, String> byValue = placeholderByValue.computeIfAbsent(type, t -> new HashMap<>());
        return byValue.computeIfAbsent(type.normalize(value), key -> {
            int n = counters.merge(type, 1, Integer::sum);
            String placeholder = "<" + type.label() + "_" + n + ">";
            originalByPlaceholder.put(placeholder, value);
            typeByPlaceholder.put(placeholder, type);
            return placeholder;
        });
    }

    /** The original text of a placeholder (the first spelling seen), if this vault issued it. */
    public synchronized Optional<String> original(String placeholder) {
        return Optional.ofNullable(originalByPlaceholder.get(placeholder));
    }

    /**
     * Whether {@code text} contains anything shaped like a placeholder ({@code <EMAIL_1>}). A run whose stored
     * state mentions none cannot depend on its vault's entries, so its vault need not be read before new ones are
     * issued.
     */
    public static boolean mentionsPlaceholder(String text) {
        return text.indexOf('<') >= 0 && PiiScanner.PLACEHOLDER.matcher(text).find();
    }

    /** How many placeholders this vault has issued. */
    public synchronized int size() {
        return originalByPlaceholder.size();
    }

    /**
     * Replaces every placeholder this vault issued with its original; placeholders it did not issue (from
     * another run, or typed by the user) are left as they are.
     */
    public synchronized String rehydrate(String text) {
        Matcher m = PiiScanner.PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String original = originalByPlaceholder.get(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(original != null ? original : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One issued placeholder and the value it stands for. */
    public record Entry(PiiType type, String placeholder, String original) {
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(original, "original");
        }
    }

    /** Every issued placeholder in order of issue, to persist the vault between the steps of a run. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(originalByPlaceholder.size());
        originalByPlaceholder.forEach((placeholder, original) -> out.add(new Entry(typeByPlaceholder.get(placeholder), placeholder, original)));
        return out;
    }

    /**
     * The vault of {@code tenant}'s {@code run} as {@link #entries()} saved it: the same placeholders for the same
     * values, and new values numbered after them.
     *
     * @throws IllegalArgumentException when the entries are not a vault's own (out of order or renumbered)
     */
    public static PiiVault restore(TenantId tenant, RunId run, List<Entry> entries) {
        PiiVault vault = new PiiVault(tenant, run);
        for (Entry e : entries) {
            String issued = vault.placeholderFor(e.type(), e.original());
            if (!issued.equals(e.placeholder())) {
                throw new IllegalArgumentException("vault entries of " + tenant + "/" + run + " are inconsistent at " + e.placeholder());
            }
        }
        return vault;
    }

    @Override
    public String toString() {
        // Never print the values.
        return "PiiVault[tenant=" + tenant + ", run=" + run + ", placeholders=" + size() + "]";
    }
}
