package dev.steward.rag.load;

import dev.steward.core.knowledge.RecordMapping;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV exports (Apache Commons CSV): the first row is the header, every other row a record, mapped to a section by a
 * {@link RecordMapping} (the given one, else {@link RecordMapping#detect}). The delimiter is whichever of comma,
 * semicolon or tab the header line has most of. Quoted fields may span lines.
 *
 * <p>A broken row (an unbalanced quote, a field count that differs from the header's) is skipped and named in the
 * document's warnings by its line number; parsing resumes on the next line, so a stray quote does not swallow the
 * rows after it. Stateless, thread-safe.
 */
public final class CsvLoader implements DocumentLoader {
    private final RecordMapping mapping;

    /** @param mapping the mapping to apply, or null to recognise common column names */
    public CsvLoader(RecordMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        String text = TextDecoding.decode(fileName, content);
        int[] lineStarts = lineStarts(text);
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter(text))
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .get();
        Records records = new Records(fileName);
        List<String> header;
        int line;
        try (CSVParser parser = format.parse(new StringReader(text))) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw TextDecoding.empty(fileName);
            }
            header = Arrays.stream(it.next().values()).map(String::strip).toList();
            line = (int) parser.getCurrentLineNumber() + 1;
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw Loading.unreadable(fileName, "has an unreadable header row (" + e.getMessage() + ")", e);
        }
        if (header.stream().allMatch(String::isBlank)) {
            throw Loading.unreadable(fileName, "has a header row without column names", null);
        }
        List<Records.Row> rows = new ArrayList<>();
        while (line <= lineStarts.length) {
            line = readFrom(text, lineStarts, line, format, header, records, rows);
        }
        return records.toDocument(header, rows, mapping);
    }

    /**
     * Parses from {@code line} (1-based) until the end or the first broken row, which is recorded as skipped.
     *
     * @return the line to resume at: after the broken row's first line, or past the end
     */
    private static int readFrom(String text, int[] lineStarts, int line, CSVFormat format, List<String> header,
            Records records, List<Records.Row> rows) {
        int offset = lineStarts[line - 1];
        try (CSVParser parser = format.parse(new StringReader(text.substring(offset)))) {
            Iterator<CSVRecord> it = parser.iterator();
            long consumed = 0;
            while (true) {
                int expectedLine = firstNonBlankLine(text, lineStarts, line + (int) consumed);
                CSVRecord record;
                try {
                    if (!it.hasNext()) {
                        return lineStarts.length + 1;
                    }
                    record = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    records.skip("line " + expectedLine, "unbalanced quote or stray character in a quoted field ("
                            + rootMessage(e) + ")");
                    return expectedLine + 1;
                }
                int recordLine = lineOf(lineStarts, offset + (int) record.getCharacterPosition());
                long after = parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    records.skip("line " + recordLine, record.size() + " fields, expected " + header.size());
                    if (after - consumed > 1) {
                        return recordLine + 1; // it ran over several lines: an open quote may have swallowed good rows
                    }
                } else {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (int i = 0; i < header.size(); i++) {
                        fields.putIfAbsent(header.get(i), record.get(i));
                    }
                    rows.add(new Records.Row("line " + recordLine, fields));
                }
                consumed = after;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static char delimiter(String text) {
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        char best = ',';
        long bestCount = first.chars().filter(c -> c == ',').count();
        for (char candidate : new char[] {';', '\t'}) {
            long count = first.chars().filter(c -> c == candidate).count();
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1-based line holding the character at {@code offset}. */
    private static int lineOf(int[] lineStarts, int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private static int firstNonBlankLine(String text, int[] lineStarts, int line) {
        while (line <= lineStarts.length) {
            int end = line < lineStarts.length ? lineStarts[line] : text.length();
            if (!text.substring(lineStarts[line - 1], end).isBlank()) {
                return line;
            }
            line++;
        }
        return line;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\((start)?line \\d+\\)\\s*", "").strip(); // the parser's lines are relative to the resume point
    }
}
