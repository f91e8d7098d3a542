package dev.steward.guardrails.injection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Weighted patterns for the phrasing of prompt injections, in English and German (the languages of our tenants
 * and of the training data). Written from the published attack taxonomies (override, role-play, prompt leaking,
 * instruction smuggling into data), not from the evaluation data. Thread-safe.
 */
final class InjectionLexicon {
    record Cue(String name, Pattern pattern, double weight) {}

    private static final List<Cue> CUES = List.of(
            cue("override", 2.5, "\\b(?:ignore|disregard|forget|skip|override|bypass|drop)\\b.{0,30}\\b(?:previous|prior|above|earlier|"
                    + "preceding|all|any|your|initial|original|system)\\b.{0,20}\\b(?:instructions?|prompts?|rules?|"
                    + "directions?|guidelines?|context|commands?|messages?|constraints?|restrictions?|tasks?|text)"),
            cue("forget_all", 2.0, "\\b(?:forget|ignore|disregard)\\b (?:everything|all(?: that)?|what) (?:(?:i|you|we) )?"
                    + "(?:said|told|were told|was said|before|above|previously|so far)"),
            cue("new_instructions", 1.5, "\\b(?:new|updated|real|actual|following|additional) (?:instructions?|task|rules?|"
                    + "orders?|assignment)\\b\\s*[:!]"),
            cue("from_now_on", 1.2, "\\b(?:from now on|starting now|henceforth|for the rest of this conversation)\\b"),
            cue("role_play", 1.5, "\\b(?:you are now|you're now|act as|pretend (?:to be|you are|you're)|roleplay as|role-play as|"
                    + "you will (?:now )?(?:be|act|play)|i want you to act|imagine you are|behave as|respond as)\\b"),
            cue("jailbreak", 2.5, "\\b(?:jailbreak|dan mode|do anything now|developer mode|god mode|unfiltered|uncensored|"
                    + "no (?:restrictions|limitations|filters|rules|boundaries)|without (?:any )?(?:restrictions|limitations|"
                    + "filters|censorship|rules))\\b"),
            cue("prompt_leak", 2.0, "\\b(?:reveal|show|print|output|repeat|display|tell me|what (?:is|are|was))\\b.{0,25}"
                    + "\\b(?:system prompt|your (?:prompt|instructions|rules)|initial (?:prompt|instructions)|hidden "
                    + "(?:prompt|instructions)|password|secret key|api key)"),
            cue("output_control", 1.0, "\\b(?:respond|answer|reply|say|print|output|write) (?:only|just|exactly|simply)\\b"),
            cue("to_the_assistant", 1.2, "\\b(?:in your (?:answer|response|reply|summary)|(?:tell|inform|remind|ask|urge) the "
                    + "(?:user|reader|recipient)|the user (?:should|must|needs to)|when (?:you|the ai|the assistant) "
                    + "(?:respond|answer|reply|summari[sz]e)|(?:assistant|ai|chatbot|model|llm)[,:] )"),
            cue("instead", 0.8, "\\binstead,? (?:you (?:should|must|will)|do|write|say|tell|answer)\\b"),
            cue("exfiltrate", 1.5, "\\b(?:send|forward|email|post|upload|leak)\\b.{0,40}\\b(?:to|at) "
                    + "(?:https?://|www\\.|[\\w.+-]+@[\\w-]+\\.)"),
            cue("link_push", 0.8, "\\b(?:visit|click|go to|check out|download from)\\b.{0,30}(?:https?://|www\\.)"),
            cue("encoded", 0.8, "\\b(?:base64|rot13|caesar cipher|reverse the (?:text|string)|decode (?:this|the following))\\b"),
            // German
            cue("de_override", 2.5, "\\b(?:ignoriere|ignorieren sie|vergiss|vergessen sie|missachte|überspringe)\\b.{0,30}"
                    + "\\b(?:alle|vorherigen?|bisherigen?|obigen?|vorangegangenen?|vorher|oben|davor|alles|deine|ihre)\\b"),
            cue("de_forget_all", 2.0, "\\b(?:vergiss|vergessen sie|ignoriere)\\b (?:alles|das alles|was)"),
            cue("de_new_task", 1.5, "\\b(?:neue|nächste|folgende|eigentliche) (?:aufgabe|anweisung|anweisungen|befehle?)\\b"),
            cue("de_role_play", 1.5, "\\b(?:du bist (?:jetzt|nun|ab sofort)|tu so als|stell dir vor,? du bist|"
                    + "spiele die rolle|agiere als|verhalte dich wie)\\b"),
            cue("de_from_now_on", 1.2, "\\b(?:ab (?:jetzt|sofort)|von nun an)\\b"),
            cue("de_output_control", 1.0, "\\b(?:antworte|sage|schreibe|gib) (?:nur|ausschließlich|einfach)\\b"),
            cue("de_prompt_leak", 2.0, "\\b(?:zeige|verrate|nenne|gib)\\b.{0,25}\\b(?:systemprompt|deine anweisungen|"
                    + "dein prompt|passwort|geheim)"));

    private InjectionLexicon() {}

    private static Cue cue(String name, double weight, String regex) {
        return new Cue(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL), weight);
    }

    /** Names of the cues that match {@code text}. */
    static List<Cue> matches(String text) {
        List<Cue> out = new ArrayList<>(2);
        for (Cue c : CUES) {
            if (c.pattern().matcher(text).find()) {
                out.add(c);
            }
        }
        return out;
    }

    /** 1 - exp(-sum of matched weights): 0 with no cue, about 0.92 for one strong cue, near 1 for several. */
    static double score(List<Cue> matched) {
        double sum = 0;
        for (Cue c : matched) {
            sum += c.weight();
        }
        return 1 - Math.exp(-sum);
    }
}
