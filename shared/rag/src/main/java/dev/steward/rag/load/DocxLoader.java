package dev.steward.rag.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.exceptions.OLE2NotOfficeXmlFileException;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;

/**
 * Word 2007+ documents (Apache POI): paragraphs styled "Heading 1".."Heading 9" start sections named by their
 * heading path; tables become one line per row with cells separated by {@code " | "}. The title is the document
 * properties' title, else the first paragraph styled "Title", else the file name; author and created/modified times
 * come from the document properties. Stateless, thread-safe (one XWPFDocument per call).
 *
 * <p>Zip bombs are refused before they expand: POI's {@link ZipSecureFile} limits (set once for the JVM here) reject
 * an entry that inflates more than {@value #MAX_EXPANSION} times its compressed size or beyond
 * {@value #MAX_ENTRY_BYTES} bytes. Encrypted and legacy (.doc) files, and anything that is not an OOXML package, are
 * {@code unreadable_document} with a message saying which.
 */
public final class DocxLoader implements DocumentLoader {
    /** Real Word XML compresses about 5-20x; 100x is well past it, and far below a zip bomb's 1000x and more. */
    static final int MAX_EXPANSION = 100;
    static final long MAX_ENTRY_BYTES = 200L * 1024 * 1024;
    private static final Pattern HEADING = Pattern.compile("heading([1-9])");

    static {
        ZipSecureFile.setMinInflateRatio(1.0 / MAX_EXPANSION);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
    }

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        if (content.length == 0) {
            throw TextDecoding.empty(fileName);
        }
        try (XWPFDocument docx = new XWPFDocument(new ByteArrayInputStream(content))) {
            return parse(fileName, docx);
        } catch (OLE2NotOfficeXmlFileException e) {
            throw Loading.unreadable(fileName, "is a password-protected (encrypted) or legacy Word 97-2003 file; "
                    + "save it as an unprotected .docx", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof dev.steward.rag.DocumentRejectedException rejected) {
                throw rejected;
            }
            String bomb = zipBombMessage(e);
            if (bomb != null) {
                throw Loading.unreadable(fileName, "was refused as a possible zip bomb: it would expand beyond "
                        + MAX_EXPANSION + " times its compressed size or " + (MAX_ENTRY_BYTES >> 20) + " MiB (" + bomb + ")", e);
            }
            throw Loading.unreadable(fileName, "is not a readable .docx file (" + firstLine(e) + ")", e);
        }
    }

    private static ParsedDocument parse(String fileName, XWPFDocument docx) {
        POIXMLProperties.CoreProperties core = docx.getProperties().getCoreProperties();
        String title = core.getTitle();
        Collector collector = new Collector();
        for (IBodyElement element : docx.getBodyElements()) {
            if (element instanceof XWPFParagraph paragraph) {
                String text = paragraph.getText().strip();
                String style = styleName(docx, paragraph);
                if (style.equals("title") && (title == null || title.isBlank()) && !text.isEmpty()) {
                    title = text;
                    continue;
                }
                Matcher level = HEADING.matcher(style);
                if (level.matches() && !text.isEmpty()) {
                    collector.heading(Integer.parseInt(level.group(1)), text);
                } else {
                    collector.text(title, text + "\n\n");
                }
            } else if (element instanceof XWPFTable table) {
                StringBuilder rows = new StringBuilder();
                table.getRows().forEach(row -> rows.append(row.getTableCells().stream()
                        .map(XWPFTableCell::getText).map(String::strip).collect(Collectors.joining(" | "))).append('\n'));
                collector.text(title, rows.append('\n').toString());
            }
        }
        collector.flush();
        List<Section> sections = collector.sections;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Metadata.AUTHOR, core.getCreator());
        metadata.put(Metadata.CREATED, instant(core.getCreated()));
        metadata.put(Metadata.MODIFIED, instant(core.getModified()));
        return Loading.requireText(fileName, title, sections, metadata, List.of());
    }

    /**
     * Builds sections in reading order; headings are held until text follows, so consecutive headings form one path.
     * Not thread-safe; one per document.
     */
    private static final class Collector {
        private record Pending(int level, String text) {}

        final List<Section> sections = new ArrayList<>();
        private final List<Pending> pending = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();
        private HeadingPath path;
        private String heading = "";

        void heading(int level, String text) {
            pending.add(new Pending(level, text));
        }

        void text(String title, String text) {
            if (!pending.isEmpty()) {
                flush();
                if (path == null) {
                    path = new HeadingPath(title);
                }
                pending.forEach(p -> path.enter(p.level(), p.text()));
                heading = path.current();
                pending.clear();
            }
            body.append(text);
        }

        void flush() {
            String text = Loading.tidy(body.toString());
            if (!text.isBlank()) {
                sections.add(new Section(heading, text));
            }
            body.setLength(0);
        }
    }

    /** The paragraph's style name ("heading 1"), lower case without spaces; the style id when it has no name. */
    private static String styleName(XWPFDocument docx, XWPFParagraph paragraph) {
        String id = paragraph.getStyleID();
        if (id == null) {
            return "";
        }
        String name = id;
        if (docx.getStyles() != null) {
            XWPFStyle style = docx.getStyles().getStyle(id);
            if (style != null && style.getName() != null) {
                name = style.getName();
            }
        }
        return name.toLowerCase(Locale.ROOT).replace(" ", "");
    }

    private static String instant(Date date) {
        return date == null ? null : date.toInstant().toString();
    }

    private static String zipBombMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Zip bomb")) {
                return firstLine(t);
            }
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
