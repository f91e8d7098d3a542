package dev.steward.guardrails.toxicity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import dev.steward.guardrails.learn.LabeledText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToxicityClassifierTest {
    @Test
    void lexiconFlagsObviousAbuseIncludingObfuscation() {
        ToxicityClassifier c = ToxicityClassifier.lexiconOnly();
        assertThat(c.score("you are a stupid idiot").flagged()).isTrue();
        assertThat(c.score("what a f*cking m0ron").flagged()).isTrue();
        assertThat(c.score("Have a nice day, see you at the meeting").flagged()).isFalse();
    }

    @Test
    void trainedModelSeparatesTheClassesItWasTrainedOn() {
        List<LabeledText> examples = new ArrayList<>();
        String[] toxic = {"shut up you stupid idiot", "you are a worthless piece of trash", "go to hell loser",
                "what a dumb moron", "you disgusting pig", "nobody likes you, idiot", "you are pathetic and ugly",
                "stupid trash person"};
        String[] fine = {"thanks for the quick reply", "the meeting moved to friday", "great job on the release",
                "can you send me the report", "lovely weather today", "the train is late again",
                "happy birthday to you", "see you at lunch"};
        for (int r = 0; r < 3; r++) {
            for (String t : toxic) examples.add(new LabeledText(t, true));
            for (String f : fine) examples.add(new LabeledText(f, false));
        }
        ToxicityClassifier c = ToxicityClassifier.train(examples, 42);
        assertThat(c.score("you stupid pathetic idiot").score()).isGreaterThan(c.score("thanks, see you friday").score());
    }

    @Test
    void guardrailDeniesToxicAnswersButLetsDataThrough() {
        ToxicityGuardrail g = new ToxicityGuardrail(ToxicityClassifier.lexiconOnly());
        TenantId t = TenantId.of("acme");
        RunId run = RunId.random();
        assertThat(g.check(new GuardrailInput(t, run, Stage.ANSWER, "you are a stupid idiot"))).isInstanceOf(Verdict.Deny.class);
        assertThat(g.check(new GuardrailInput(t, run, Stage.USER_INPUT, "you are a stupid idiot"))).isInstanceOf(Verdict.Ask.class);
        assertThat(g.check(new GuardrailInput(t, run, Stage.TOOL_RESULT, "complaint: you are a stupid idiot")))
                .isInstanceOf(Verdict.Allow.class);
        assertThat(g.check(new GuardrailInput(t, run, Stage.ANSWER, "Refunds take five days."))).isInstanceOf(Verdict.Allow.class);
    }
}
