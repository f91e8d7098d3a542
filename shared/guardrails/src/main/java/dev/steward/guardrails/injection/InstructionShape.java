package dev.steward.guardrails.injection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The grammatical shape of a request, independent of its topic: an imperative opening ("Explain...", "Write...",
 * "Schreibe..."), a question addressed to the reader, talk of "your answer / reply / response", second-person
 * address. A bag of n-grams learns the topics of the attacks it was trained on; these features let the model see
 * that "Develop a speech on X" inside an email has the same shape as "Write a poem about Y", whatever X and Y.
 * The verb list is general English and German instruction vocabulary, not drawn from the evaluation data.
 * Thread-safe.
 */
final class InstructionShape {
    private static final Set<String> IMPERATIVES = Set.of(
            "add", "adopt", "analyse", "analyze", "answer", "append", "apply", "arrange", "assess", "assume",
            "begin", "break", "build", "calculate", "change", "check", "choose", "classify", "combine", "compare",
            "compose", "compute", "consider", "convert", "count", "craft", "create", "decode", "define", "delete",
            "describe", "design", "detail", "determine", "develop", "discuss", "draft", "draw", "edit", "elaborate",
            "emphasize", "encode", "encrypt", "end", "enhance", "ensure", "estimate", "evaluate", "explain",
            "express", "extract", "fill", "find", "finish", "focus", "forget", "format", "formulate", "generate",
            "give", "group", "guess", "highlight", "identify", "ignore", "illustrate", "imagine", "include",
            "incorporate", "insert", "integrate", "interpret", "introduce", "invent", "list", "make", "mention",
            "modify", "name", "note", "offer", "omit", "outline", "output", "paraphrase", "predict", "prepare",
            "present", "pretend", "print", "produce", "promote", "propose", "provide", "put", "rank", "rate",
            "rearrange", "recommend", "reformulate", "remove", "render", "repeat", "rephrase", "replace", "reply",
            "report", "respond", "restate", "return", "reverse", "review", "rewrite", "say", "scramble", "search",
            "select", "send", "share", "show", "simplify", "solve", "sort", "spell", "start", "state", "stop",
            "stress", "substitute", "suggest", "summarise", "summarize", "swap", "switch", "talk", "teach", "tell",
            "transform", "translate", "treat", "turn", "type", "use", "verify", "write",
            // German
            "beantworte", "beschreibe", "erkläre", "erzähle", "fasse", "formuliere", "gib", "liste", "nenne",
            "schreibe", "sage", "übersetze", "vergiss", "ignoriere", "zeige", "erstelle", "antworte", "stelle");
    private static final Set<String> QUESTION_OPENERS = Set.of(
            "what", "what's", "who", "whom", "whose", "which", "when", "where", "why", "how", "can", "could",
            "would", "will", "do", "does", "did", "is", "are", "should", "was", "were", "have", "has",
            "wer", "wie", "wo", "warum", "welche", "welcher", "welches", "wann", "kannst", "können");
    private static final Pattern YOUR_OUTPUT = Pattern.compile(
            "(?i)\\b(?:your|the) (?:answer|response|reply|output|message|summary|result)s?\\b|\\bdeine[rn]? "
                    + "(?:antwort|ausgabe)");
    private static final Pattern SECOND_PERSON = Pattern.compile("(?i)\\b(?:you|your|yourself|du|dir|dich|dein\\w*)\\b");
    private static final Pattern FIRST_WORD = Pattern.compile("^[\\s\"'“(>*-]*(?i:please,? |bitte,? )?([\\p{L}']+)");

    private InstructionShape() {}

    /** Named features of {@code text}, as (name, value) pairs for {@code HashedFeatures.vectorize}. */
    static List<Object> features(String text) {
        List<Object> out = new ArrayList<>(8);
        var m = FIRST_WORD.matcher(text);
        if (m.find()) {
            String first = m.group(1).toLowerCase(Locale.ROOT);
            if (IMPERATIVES.contains(first)) {
                out.add("shape_imperative");
                out.add(1.0);
            }
            if (QUESTION_OPENERS.contains(first) && text.stripTrailing().endsWith("?")) {
                out.add("shape_question");
                out.add(1.0);
            }
        }
        if (YOUR_OUTPUT.matcher(text).find()) {
            out.add("shape_your_output");
            out.add(1.0);
        }
        if (SECOND_PERSON.matcher(text).find()) {
            out.add("shape_second_person");
            out.add(1.0);
        }
        return out;
    }
}
