package dev.steward.rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A retrieval test collection in BEIR's layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv} (a header line, then
 * {@code query-id <TAB> corpus-id <TAB> score}).
 *
 * @param corpus documents in file order
 * @param queries the queries that have judgments in the split, in qrels file order
 * @param qrels graded judgments per query id: corpus id to score
 */
record BeirDataset(List<Doc> corpus, List<Query> queries, Map<String, Map<String, Integer>> qrels) {

    record Doc(String id, String title, String text) {
        Doc {
            Objects.requireNonNull(id, "id");
            title = title == null ? "" : title;
            text = text == null ? "" : text;
        }
    }

    record Query(String id, String text) {
        Query {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }

    BeirDataset {
        corpus = List.copyOf(corpus);
        queries = List.copyOf(queries);
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        qrels.forEach((q, judged) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(judged))));
        qrels = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads the folder.
     *
     * @throws IllegalArgumentException when a file is missing or a line cannot be read, naming the file and line
     */
    static BeirDataset load(Path dir, String split) {
        Path corpusFile = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        for (Path file : List.of(corpusFile, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("missing " + file);
            }
        }
        List<Doc> corpus = new ArrayList<>();
        forEachLine(corpusFile, (line, number) -> {
            JsonNode node = Json.tree(line);
            corpus.add(new Doc(text(node, "_id", corpusFile, number), node.path("title").asText(""),
                    node.path("text").asText("")));
        });
        Map<String, String> allQueries = new LinkedHashMap<>();
        forEachLine(queriesFile, (line, number) -> {
            JsonNode node = Json.tree(line);
            allQueries.put(text(node, "_id", queriesFile, number), node.path("text").asText(""));
        });
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        forEachLine(qrelsFile, (line, number) -> {
            String[] cols = line.split("\t");
            if (cols.length < 3) {
                throw new IllegalArgumentException(qrelsFile + ":" + number + ": expected 3 tab-separated columns");
            }
            if (number == 1 && !isInteger(cols[2].strip())) {
                return; // header
            }
            if (!isInteger(cols[2].strip())) {
                throw new IllegalArgumentException(qrelsFile + ":" + number + ": score is not an integer: " + cols[2]);
            }
            qrels.computeIfAbsent(cols[0].strip(), q -> new LinkedHashMap<>())
                    .put(cols[1].strip(), Integer.parseInt(cols[2].strip()));
        });
        List<Query> queries = new ArrayList<>();
        for (String id : qrels.keySet()) {
            String text = allQueries.get(id);
            if (text == null) {
                throw new IllegalArgumentException(qrelsFile + " judges query " + id + ", which " + queriesFile + " lacks");
            }
            queries.add(new Query(id, text));
        }
        return new BeirDataset(corpus, queries, qrels);
    }

    /** The same collection with only the first {@code n} queries (and their judgments). */
    BeirDataset limitQueries(int n) {
        if (n >= queries.size()) {
            return this;
        }
        List<Query> kept = queries.subList(0, n);
        Map<String, Map<String, Integer>> keptQrels = new LinkedHashMap<>();
        for (Query q : kept) {
            keptQrels.put(q.id(), qrels.get(q.id()));
        }
        return new BeirDataset(corpus, kept, keptQrels);
    }

    private interface LineHandler {
        void accept(String line, int number);
    }

    private static void forEachLine(Path file, LineHandler handler) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (!line.isBlank()) {
                    try {
                        handler.accept(line, number);
                    } catch (UncheckedIOException e) {
                        throw new IllegalArgumentException(file + ":" + number + ": not JSON: " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String text(JsonNode node, String field, Path file, int line) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(file + ":" + line + ": no " + field);
        }
        return value.asText();
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d+");
    }
}
