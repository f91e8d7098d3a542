package dev.steward.rag.load;

import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Markdown (CommonMark): every top-level heading starts a section named by its heading path; the content is
 * rendered to plain text (markup removed, link text kept). The title is the first level-1 heading, else the file
 * name. Stateless, thread-safe (commonmark parsers and renderers are).
 */
public final class MarkdownLoader implements DocumentLoader {
    private static final Parser PARSER = Parser.builder().build();
    private static final TextContentRenderer RENDERER = TextContentRenderer.builder().build();

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        Node document = PARSER.parse(TextDecoding.decode(fileName, content));
        String title = firstTopHeading(document);
        HeadingPath path = new HeadingPath(title);
        List<Section> sections = new ArrayList<>();
        String heading = "";
        StringBuilder body = new StringBuilder();
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            if (block instanceof Heading h) {
                addSection(sections, heading, body);
                path.enter(h.getLevel(), Loading.tidy(RENDERER.render(h)));
                heading = path.current();
                body.setLength(0);
            } else {
                body.append(RENDERER.render(block)).append("\n\n");
            }
        }
        addSection(sections, heading, body);
        return Loading.requireText(fileName, title, sections);
    }

    private static void addSection(List<Section> sections, String heading, CharSequence body) {
        String text = Loading.tidy(body.toString());
        if (!text.isBlank()) {
            sections.add(new Section(heading, text));
        }
    }

    private static String firstTopHeading(Node document) {
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            if (block instanceof Heading h && h.getLevel() == 1) {
                String text = Loading.tidy(RENDERER.render(h));
                if (!text.isBlank()) {
                    return text;
                }
            }
        }
        return null;
    }
}
