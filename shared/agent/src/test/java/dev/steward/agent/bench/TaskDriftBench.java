package dev.steward.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.TaskDrift;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.load.TextLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the off-task request check ({@link TaskDrift}) adds to the loop's injection lexicon on data, and what it
 * costs. BIPIA attacks are inserted into BIPIA e-mails as the guardrails benchmark and {@code IndirectInjectionIT}
 * do (attack i into e-mail i mod 50, at the start, middle or end); recall is the share of these documents flagged,
 * for the lexicon alone, the check alone and both. False alarms: clean BIPIA e-mails, Enron e-mail bodies cut into
 * pieces of about 1,200 characters at line ends (a chunk's size), and the helpdesk tickets (English bodies and
 * agent replies, German bodies; {@code --helpdesk-half dev|held-out}, by row parity as in the guardrails
 * benchmark). Latency: the check alone per KB of text, over the Enron pieces, after a warm-up.
 *
 * With {@code --as-chunks} each BIPIA text is first loaded and chunked as an uploaded {@code .txt} document is (the
 * chunker re-flows lines into sentences), and a document counts as flagged when any of its chunks is.
 *
 * <pre>TaskDriftBench [--datasets DIR] [--split train|test] [--helpdesk-half dev|held-out] [--as-chunks]</pre>
 */
public final class TaskDriftBench {
    private TaskDriftBench() {}

    public static void main(String[] args) throws IOException {
        Path datasets = Path.of("../shared/datasets");
        String split = "train";
        String half = "dev";
        boolean asChunks = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datasets" -> datasets = Path.of(args[++i]);
                case "--split" -> split = args[++i];
                case "--helpdesk-half" -> half = args[++i];
                case "--as-chunks" -> asChunks = true;
                default -> throw new IllegalArgumentException("usage: TaskDriftBench [--datasets DIR] [--split train|test] "
                        + "[--helpdesk-half dev|held-out]; unknown argument " + args[i]);
            }
        }
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        TaskDrift drift = new TaskDrift(bge::embedAll);
        InjectionDetector lexicon = InjectionDetector.lexiconOnly();
        Predicate<String> lexiconOnText = t -> lexicon.score(t, InjectionDetector.Mode.INDIRECT).flagged();
        Predicate<String> driftOnText = t -> drift.find(t).isPresent();
        Chunker chunker = new Chunker(BgeSmallEmbedder.wordPieceCounter());
        Predicate<String> byLexicon = asChunks ? t -> chunks(chunker, t).stream().anyMatch(lexiconOnText) : lexiconOnText;
        Predicate<String> byDrift = asChunks ? t -> chunks(chunker, t).stream().anyMatch(driftOnText) : driftOnText;

        Path injection = datasets.resolve("prompt_injection");
        List<String> emails = read(injection.resolve("bipia_email_" + split + ".jsonl")).stream().map(r -> r.path("context").asText()).toList();
        List<JsonNode> attacks = read(injection.resolve("bipia_text_attacks_" + split + ".jsonl"));
        List<String> attacked = new ArrayList<>();
        for (int i = 0; i < attacks.size(); i++) {
            attacked.add(insert(emails.get(i % emails.size()), attacks.get(i).path("attack").asText(), i % 3));
        }
        System.out.printf(Locale.ROOT, "BIPIA %s, %d attacked e-mails: lexicon %.3f, off-task check %.3f, both %.3f%n", split,
                attacked.size(), share(attacked, byLexicon), share(attacked, byDrift), share(attacked, byLexicon.or(byDrift)));
        List<String> categories = attacks.stream().map(a -> a.path("category").asText()).distinct().toList();
        for (String category : categories) {
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < attacks.size(); i++) {
                if (attacks.get(i).path("category").asText().equals(category)) {
                    docs.add(attacked.get(i));
                }
            }
            System.out.printf(Locale.ROOT, "  %-28s lexicon %d/%d, both %d/%d%n", category, count(docs, byLexicon), docs.size(),
                    count(docs, byLexicon.or(byDrift)), docs.size());
        }
        System.out.printf(Locale.ROOT, "false alarms of the off-task check (lexicon in brackets):%n");
        report("BIPIA " + split + " e-mails, clean", emails, byDrift, byLexicon);
        List<String> enron = enronPieces(datasets.resolve("emails/enron_eml"));
        report("Enron pieces", enron, byDrift, byLexicon);
        int parity = half.equals("dev") ? 1 : 0;
        List<JsonNode> tickets = read(datasets.resolve("tickets/helpdesk_tickets_en_de.jsonl")).stream()
                .filter(r -> r.path("row").asInt() % 2 == parity).toList();
        report("helpdesk " + half + " English bodies", field(tickets, "en", "body"), byDrift, byLexicon);
        report("helpdesk " + half + " English replies", field(tickets, "en", "answer"), byDrift, byLexicon);
        report("helpdesk " + half + " German bodies", field(tickets, "de", "body"), byDrift, byLexicon);

        for (String piece : enron.subList(0, Math.min(200, enron.size()))) {
            drift.find(piece); // warm-up
        }
        // per piece that has a request to judge (the others cost a regex pass), and per KB over pieces of 1 KB or more
        List<double[]> timed = new ArrayList<>();
        for (String piece : enron) {
            long start = System.nanoTime();
            drift.find(piece);
            timed.add(new double[] {(System.nanoTime() - start) / 1e6, piece.length()});
        }
        double[] perPiece = timed.stream().filter(t -> t[0] > 1).mapToDouble(t -> t[0]).sorted().toArray();
        double[] perKb = timed.stream().filter(t -> t[1] >= 1024).mapToDouble(t -> t[0] / (t[1] / 1024.0)).sorted().toArray();
        System.out.printf(Locale.ROOT, "off-task check latency over %d Enron pieces: %d took over 1 ms, p50 %.1f / p99 %.1f ms each; "
                        + "per KB over the %d pieces of 1 KB or more: p50 %.2f / p99 %.2f ms%n", enron.size(), perPiece.length,
                percentile(perPiece, 0.5), percentile(perPiece, 0.99), perKb.length, percentile(perKb, 0.5), percentile(perKb, 0.99));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static List<String> chunks(Chunker chunker, String text) {
        return chunker.chunk(new DocumentId("doc_bench0001"), new TextLoader().load("email.txt", text.getBytes(StandardCharsets.UTF_8)))
                .stream().map(Chunk::text).toList();
    }

    /** Attack into e-mail: at the start (0), in the middle (1) or at the end (2), on lines of its own. */
    static String insert(String email, String attack, int position) {
        return switch (position) {
            case 0 -> attack + "\n" + email;
            case 1 -> email.substring(0, email.length() / 2) + "\n" + attack + "\n" + email.substring(email.length() / 2);
            default -> email + "\n" + attack;
        };
    }

    private static void report(String name, List<String> texts, Predicate<String> drift, Predicate<String> lexicon) {
        System.out.printf(Locale.ROOT, "  %-36s %d of %d (%.2f %%) [%d]%n", name, count(texts, drift), texts.size(),
                100.0 * share(texts, drift), count(texts, lexicon));
    }

    private static List<String> field(List<JsonNode> rows, String language, String field) {
        return rows.stream().filter(r -> r.path("language").asText().equals(language)).map(r -> r.path(field).asText())
                .filter(t -> !t.isBlank()).toList();
    }

    private static List<String> enronPieces(Path dir) throws IOException {
        List<String> pieces = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String raw = Files.readString(f, StandardCharsets.ISO_8859_1);
                int body = raw.indexOf("\r\n\r\n");
                StringBuilder piece = new StringBuilder();
                for (String line : (body < 0 ? raw : raw.substring(body + 4)).split("\\r?\\n")) {
                    if (piece.length() + line.length() > 1200 && !piece.isEmpty()) {
                        pieces.add(piece.toString());
                        piece.setLength(0);
                    }
                    piece.append(line).append('\n');
                }
                if (!piece.toString().isBlank()) {
                    pieces.add(piece.toString());
                }
            }
        }
        return pieces;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Json::tree).toList();
    }

    private static long count(List<String> texts, Predicate<String> flagged) {
        return texts.stream().filter(flagged).count();
    }

    private static double share(List<String> texts, Predicate<String> flagged) {
        return texts.isEmpty() ? 0 : (double) count(texts, flagged) / texts.size();
    }
}
