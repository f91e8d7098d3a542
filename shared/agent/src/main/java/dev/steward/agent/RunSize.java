package dev.steward.agent;

import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.run.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds that keep a run's record inside one store item. A run is one DynamoDB item (its whole record as JSON),
 * and DynamoDB refuses an item over {@value #ITEM_LIMIT_BYTES} bytes: without these bounds a large tool result or a
 * long run would fail its step's commit with the store's "Item size has exceeded the maximum allowed size". Sizes are
 * UTF-8 bytes of JSON, as the store counts them.
 *
 * <p>Sources, by arithmetic: a chunk holds at most {@code Chunker.DEFAULT_MAX_TOKENS} = 320 WordPiece tokens, about
 * 1.4 KB of English (4.5 characters a token), about 2 KB with its ids, title and metadata; an agent retrieves at most
 * 50 (its topK), so about 100 KB, well inside the run's budget. But the chunker bounds tokens, not characters:
 * WordPiece counts a word over 100 characters as one token, so a chunk of unbroken strings (hashes, encoded data) can
 * be any length, and metadata is not bounded at all. Hence {@link #CHUNK_TEXT_CHARS} and {@link #SOURCES_BYTES}, which
 * ordinary chunks never reach.
 */
final class RunSize {
    /** DynamoDB's item limit; the record's JSON is all of the item but about 0.5 KB of keys and index attributes. */
    static final int ITEM_LIMIT_BYTES = 400 * 1024;
    /**
     * What a run keeps of one tool result (and what the model reads of it): 16 KB is about 4,000 tokens, a ticket with
     * its recent messages or an inbox page of senders, subjects and previews, and 20 such results fit one run.
     */
    static final int TOOL_RESULT_BYTES = 16 * 1024;
    /**
     * Past this the run makes no further tool call and its next plan halts, saying why. It leaves 50 KB under the item
     * limit for what may still be added: the one result that crosses it (16 KB cut, which redaction placeholders and a
     * quarantine block can grow, at most about twice), its arguments, and the halt's plan, respond and verify steps.
     * Halting rather than cutting older results further: the record is the audit of what the model read when it
     * decided, and a run that has read 350 KB of results (about 90,000 tokens, re-sent at every turn) has outgrown
     * one answer; the user gets a clear reason and can ask a narrower question.
     */
    static final int RUN_BYTES = 350 * 1024;
    /** What retrieval may add: about 60 ordinary chunks, more than the largest topK (50) retrieves. */
    static final int SOURCES_BYTES = 128 * 1024;
    /** A chunk's text is cut to this: about 20 characters a token at the chunker's 320, never reached by prose. */
    static final int CHUNK_TEXT_CHARS = 6_000;

    private RunSize() {}

    /** The size of the run's record as the store writes it. */
    static int bytes(RunRecord run) {
        return ResultCap.bytes(run);
    }

    /** Whether the run's record has reached {@link #RUN_BYTES}. */
    static boolean full(RunRecord run) {
        return bytes(run) >= RUN_BYTES;
    }

    /**
     * The chunks a run keeps, in rank order: each text cut to {@link #CHUNK_TEXT_CHARS}, and the lower-ranked ones that
     * would take the sources past {@link #SOURCES_BYTES} left out.
     */
    static List<RetrievedChunk> bounded(List<RetrievedChunk> ranked) {
        List<RetrievedChunk> kept = new ArrayList<>(ranked.size());
        int total = 0;
        for (RetrievedChunk c : ranked) {
            RetrievedChunk cut = c.text().length() > CHUNK_TEXT_CHARS ? c.withText(ResultCap.cut(c.text(), CHUNK_TEXT_CHARS)) : c;
            total += ResultCap.bytes(cut);
            if (total > SOURCES_BYTES) {
                break;
            }
            kept.add(cut);
        }
        return kept;
    }
}
