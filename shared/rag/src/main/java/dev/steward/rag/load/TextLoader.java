package dev.steward.rag.load;

import java.util.List;

/**
 * Plain text: one section holding the whole text (paragraphs kept). The title is the file name, since plain text
 * has no reliable title marker. Stateless, thread-safe.
 */
public final class TextLoader implements DocumentLoader {

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        String text = Loading.tidy(TextDecoding.decode(fileName, content));
        List<Section> sections = text.isBlank() ? List.of() : List.of(new Section("", text));
        return Loading.requireText(fileName, null, sections);
    }
}
