package dev.steward.guardrails.toxicity;

import java.util.regex.Pattern;

/**
 * A short list of profanity, insults and slur stems (content warning: it has to spell them), matched after
 * undoing common obfuscation (digits for letters, stretched letters, symbols inside words). It is a feature of
 * the toxicity model, not a verdict on its own: counting words is how lexicons misfire on quotes and reclaimed
 * usage, which the model weighs with context.
 */
final class ToxicityLexicon {
    private static final Pattern TERMS = Pattern.compile("\\b(?:"
            + "f+u+c+k\\w*|fck\\w*|fuk\\w*|sh+i+t+\\w*|bullshit|bitch\\w*|biatch|b[i]?tches|bastard\\w*|asshole\\w*|ass|"
            + "arse\\w*|cunt\\w*|dick\\w*|cock\\w*|pussy\\w*|pussies|whore\\w*|slut\\w*|hoe|hoes|hoez|thot\\w*|"
            + "twat\\w*|wank\\w*|prick\\w*|douche\\w*|motherf\\w*|mf|stfu|gtfo|damn\\w*|crap\\w*|piss\\w*|"
            + "idiot\\w*|stupid\\w*|moron\\w*|dumb\\w*|retard\\w*|loser\\w*|trash|scum\\w*|ugly|fat ass|"
            + "fag\\w*|dyke\\w*|tranny|homo|queer|nigg\\w*|nig|coon\\w*|spic\\w*|chink\\w*|gook\\w*|kike\\w*|"
            + "wetback\\w*|beaner\\w*|raghead\\w*|towelhead\\w*|cracker\\w*|redneck\\w*|white trash|ghetto|"
            + "kill yourself|kys|die|hate you|shut up)\\b");

    private ToxicityLexicon() {}

    /** Lower-cased text with obfuscation undone ("f*ck" and "fuuuck" both read "fuck", "sh1t" reads "shit"). */
    static String normalize(String text) {
        String s = text.toLowerCase()
                .replace('0', 'o').replace('1', 'i').replace('3', 'e').replace('4', 'a').replace('5', 's')
                .replace('@', 'a').replace('$', 's').replace('!', 'i');
        s = s.replaceAll("(?<=\\p{L})[*#%]+(?=\\p{L})", "u");
        return s.replaceAll("(\\p{L})\\1{2,}", "$1$1");
    }

    /** Number of lexicon hits in {@code normalized} text. */
    static int count(String normalized) {
        int n = 0;
        var m = TERMS.matcher(normalized);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
