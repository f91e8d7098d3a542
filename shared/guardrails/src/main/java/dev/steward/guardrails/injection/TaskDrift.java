package dev.steward.guardrails.injection;

import dev.steward.guardrails.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a request inside data that has nothing to do with the data around it: "Recommend a good book" in an
 * e-mail about an invoice, "Explain the theory of relativity" in a support article. Such off-task requests carry
 * no attack wording a lexicon could know (they read like any question), but a document that suddenly asks its
 * reader for something unrelated to itself is addressing the model, not the person the document was written for.
 *
 * <p>How: the text is split into sentences and lines; every sentence shaped like a request (an imperative opening or
 * a question, at least three words; {@link InstructionShape}) is compared, as a sentence embedding, with every other
 * sentence within {@link #NEIGHBOURS} of it. If even the closest of them is less similar than {@link #THRESHOLD},
 * the request is off-task. Requests that belong to their text (a FAQ's questions, "Please send the signed contract"
 * in a mail about the contract) have a close neighbour; a text of fewer than three sentences is not judged.
 *
 * <p>A request only loosely tied to its neighbours (closest below {@link #LOOSE_THRESHOLD}) is off-task too when it is
 * also unlike the text's opening sentence (below {@link #OPENING_THRESHOLD}; the second sentence when the request
 * opens the text), which for an e-mail or document is its subject line or title: what the text is about. An injected
 * "Compose a short essay about sustainable cities" can come close to one sentence of a hosting receipt ("a
 * climate-neutral data centre"), but not to its subject line ("Payment received").
 *
 * <p>The threshold holds for the bundled bge-small-en-v1.5 sentence vectors only (see the guardrails README for how
 * it was chosen and what it costs). Thread-safe if the embedder is.
 */
public final class TaskDrift {
    /** Cosine similarity below which a request has no related sentence near it. Chosen for bge-small-en-v1.5. */
    public static final double THRESHOLD = 0.55;
    /** Closest similarity below which a request is off-task if it is also unlike the text's opening. */
    public static final double LOOSE_THRESHOLD = 0.58;
    /** Similarity to the text's opening sentence below which a loosely tied request is off-task. */
    public static final double OPENING_THRESHOLD = 0.44;
    /** How many sentences on each side a request is compared with. */
    static final int NEIGHBOURS = 10;
    private static final int MIN_SENTENCES = 3;
    private static final int MIN_REQUEST_WORDS = 3;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    /** Turns sentences into L2-normalised vectors, one per sentence, in order. */
    @FunctionalInterface
    public interface SentenceEmbedder {
        List<float[]> embed(List<String> sentences);
    }

    /**
     * The least related request found: where it is, the similarity of its closest neighbour and its similarity to the
     * text's opening sentence.
     */
    public record OffTask(Span span, double similarity, double opening) {}

    private final SentenceEmbedder embedder;
    private final double threshold;
    private final double looseThreshold;
    private final double openingThreshold;

    public TaskDrift(SentenceEmbedder embedder) {
        this(embedder, THRESHOLD, LOOSE_THRESHOLD, OPENING_THRESHOLD);
    }

    TaskDrift(SentenceEmbedder embedder, double threshold, double looseThreshold, double openingThreshold) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.threshold = threshold;
        this.looseThreshold = looseThreshold;
        this.openingThreshold = openingThreshold;
    }

    /** Why {@code o} is off-task, in numbers (no text quoted). */
    public String explain(OffTask o) {
        if (o.similarity() < threshold) {
            return String.format(Locale.ROOT, "its closest sentence has similarity %.3f < %.3f", o.similarity(), threshold);
        }
        return String.format(Locale.ROOT, "its closest sentence has similarity %.3f < %.3f and the text's opening %.3f < %.3f",
                o.similarity(), looseThreshold, o.opening(), openingThreshold);
    }

    /** The least related off-task request in {@code text}, if any request is off-task by either rule. */
    public Optional<OffTask> find(String text) {
        List<Segments.Sentence> sentences = Segments.sentences(text);
        List<Integer> requests = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            if (isRequest(sentences.get(i).text())) {
                requests.add(i);
            }
        }
        if (requests.isEmpty() || sentences.size() < MIN_SENTENCES) {
            return Optional.empty();
        }
        List<float[]> vectors = embedder.embed(sentences.stream().map(Segments.Sentence::text).toList());
        OffTask worst = null;
        for (int r : requests) {
            double closest = -1;
            for (int j = Math.max(0, r - NEIGHBOURS); j <= Math.min(sentences.size() - 1, r + NEIGHBOURS); j++) {
                if (j != r) {
                    closest = Math.max(closest, dot(vectors.get(r), vectors.get(j)));
                }
            }
            double opening = dot(vectors.get(r), vectors.get(r == 0 ? 1 : 0));
            boolean offTask = closest < threshold || closest < looseThreshold && opening < openingThreshold;
            if (offTask && (worst == null || closest < worst.similarity())) {
                worst = new OffTask(sentences.get(r).span(), closest, opening);
            }
        }
        return Optional.ofNullable(worst);
    }

    private static boolean isRequest(String sentence) {
        List<Object> shape = InstructionShape.features(sentence);
        if (!shape.contains("shape_imperative") && !shape.contains("shape_question")) {
            return false;
        }
        Matcher words = WORD.matcher(sentence);
        int n = 0;
        while (n < MIN_REQUEST_WORDS && words.find()) {
            n++;
        }
        return n >= MIN_REQUEST_WORDS;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }
}
