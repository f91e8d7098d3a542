package dev.steward.rag.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * HTML (jsoup): scripts, styles, navigation and other non-content elements are dropped; every {@code h1}-{@code h6}
 * starts a section named by its heading path; block elements become paragraph breaks. The title is
 * {@code <title>}, else the first {@code h1}, else the file name. Stateless, thread-safe.
 *
 * <p>Bytes are decoded like plain text (UTF-8, with a windows-1252 fallback for legacy pages) rather than by the
 * page's {@code meta charset}, so binary content named {@code .html} is rejected the same way as for text.
 */
public final class HtmlLoader implements DocumentLoader {
    private static final String NON_CONTENT =
            "script, style, nav, noscript, template, svg, canvas, iframe, object, embed, [hidden]";
    private static final Set<String> TABLE_PARTS = Set.of("br", "tr", "td", "th", "thead", "tbody", "tfoot");
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        Document page = Jsoup.parse(TextDecoding.decode(fileName, content));
        page.select(NON_CONTENT).remove();
        String title = page.title().strip();
        if (title.isEmpty()) {
            Element h1 = page.body().selectFirst("h1");
            title = h1 == null ? "" : h1.text().strip();
        }
        SectionCollector collector = new SectionCollector(new HeadingPath(title));
        collector.traverse(page.body());
        collector.flush();
        return Loading.requireText(fileName, title, collector.sections);
    }

    /** Walks the body once; not thread-safe, one per page. */
    private static final class SectionCollector implements NodeFilter {
        private final HeadingPath path;
        private final List<Section> sections = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();
        private String heading = "";

        SectionCollector(HeadingPath path) {
            this.path = path;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                body.append(insidePre(text) ? text.getWholeText() : text.text());
            } else if (node instanceof Element element) {
                String name = element.normalName();
                if (HEADINGS.contains(name)) {
                    flush();
                    path.enter(name.charAt(1) - '0', element.text());
                    heading = path.current();
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (name.equals("br")) {
                    body.append('\n');
                } else if (opensParagraph(element)) {
                    body.append("\n\n");
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element) {
                switch (element.normalName()) {
                    case "td", "th" -> body.append(' ');
                    case "tr" -> body.append('\n');
                    default -> {
                        if (opensParagraph(element)) {
                            body.append("\n\n");
                        }
                    }
                }
            }
            return FilterResult.CONTINUE;
        }

        void flush() {
            String text = Loading.tidy(body.toString());
            if (!text.isBlank()) {
                sections.add(new Section(heading, text));
            }
            body.setLength(0);
        }

        /** Block elements are paragraphs, except table parts: a table row stays one line, its cells words on it. */
        private static boolean opensParagraph(Element element) {
            return element.isBlock() && !TABLE_PARTS.contains(element.normalName());
        }

        private static boolean insidePre(TextNode text) {
            for (Node n = text.parent(); n != null; n = n.parent()) {
                if (n instanceof Element e && e.normalName().equals("pre")) {
                    return true;
                }
            }
            return false;
        }
    }
}
