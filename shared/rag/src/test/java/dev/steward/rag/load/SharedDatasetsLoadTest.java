package dev.steward.rag.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The loaders on the shared evaluation data (helpdesk tickets as JSON Lines, Enron e-mails), read in place from
 * {@code ../shared/datasets}; skipped with a message when that folder is absent. Nothing is copied into the repo.
 */
class SharedDatasetsLoadTest {
    private static final Path DATASETS = Path.of(System.getProperty("steward.home", "../.."))
            .resolve("../shared/datasets").toAbsolutePath().normalize();

    private static Path require(String relative) {
        Path path = DATASETS.resolve(relative);
        if (!Files.exists(path)) {
            System.out.println("SKIPPED: " + path + " is absent; the shared-dataset loader check did not run");
            Assumptions.abort(path + " absent");
        }
        return path;
    }

    @Test
    void everyHelpdeskTicketBecomesASectionWithItsQueueAndPriority() throws IOException {
        Path tickets = require("tickets/helpdesk_tickets_en_de.jsonl");
        long lines = Files.lines(tickets).filter(l -> !l.isBlank()).count();

        ParsedDocument doc = DocumentLoaders.load("helpdesk_tickets_en_de.jsonl", Files.readAllBytes(tickets));

        assertThat(doc.sections().size() + skipped(doc)).isEqualTo(lines);
        assertThat(doc.sections()).allSatisfy(s -> assertThat(s.metadata()).containsKeys("queue", "priority", "record"));
        assertThat(doc.sections()).filteredOn(s -> s.text().contains("body: ") && s.text().contains("answer: "))
                .hasSizeGreaterThan((int) (lines * 0.9));
    }

    private static long skipped(ParsedDocument doc) {
        return doc.warnings().isEmpty() ? 0 : Long.parseLong(doc.warnings().getFirst().split(" ")[0]);
    }

    @Test
    void enronMessagesParseAloneAndAsOneMailbox() throws IOException {
        Path dir = require("emails/enron_eml");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".eml")).sorted().limit(60).toList();
        }
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            ParsedDocument doc = DocumentLoaders.load(file.getFileName().toString(), bytes);
            assertThat(doc.sections().getFirst().metadata()).as(file.toString()).containsKeys("from", "date");
            assertThat(doc.metadata()).containsKey(Metadata.AUTHOR);
            mbox.writeBytes("From enron@example.com Fri Jan  5 10:00:00 2001\n".getBytes(StandardCharsets.US_ASCII));
            mbox.writeBytes(new String(bytes, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                    .replaceAll("(?m)^From ", ">From ").getBytes(StandardCharsets.ISO_8859_1));
            mbox.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        }
        ParsedDocument box = DocumentLoaders.load("enron.mbox", mbox.toByteArray());
        assertThat(box.sections().stream().map(s -> s.metadata().get("date") + s.metadata().get("from")).distinct().count())
                .isEqualTo(files.stream().map(f -> {
                    ParsedDocument one = DocumentLoaders.load("x.eml", read(f));
                    return one.sections().getFirst().metadata().get("date") + one.sections().getFirst().metadata().get("from");
                }).distinct().count());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
