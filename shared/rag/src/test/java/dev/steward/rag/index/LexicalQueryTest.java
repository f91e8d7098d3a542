package dev.steward.rag.index;

import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.ANY;
import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.MOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexicalQueryTest {
    @Test
    void analysisDropsQuestionWordsAndPossessivesStemsAndDeduplicatesInQueryOrder() {
        LexicalQuery q = LexicalQuery.parse("How do I claim my manager's travelling expenses? Travel claims!", ANY);
        assertThat(q.terms()).containsExactly("claim", "manag", "travel", "expens");
        assertThat(q.minimumShouldMatch()).isZero();
        assertThat(LexicalQuery.parse("the of and to is ?!?", ANY)).isNull();
    }

    @Test
    void mostTermsAsksForEveryTermOfShortQueriesAndHalfOfLongerOnes() {
        assertThat(LexicalQuery.parse("otter", MOST).minimumShouldMatch()).isEqualTo(1);
        assertThat(LexicalQuery.parse("otter walrus", MOST).minimumShouldMatch()).isEqualTo(2);
        assertThat(LexicalQuery.parse("otter walrus heron", MOST).minimumShouldMatch()).isEqualTo(2);
        assertThat(LexicalQuery.parse("otter walrus heron ibis lynx", MOST).minimumShouldMatch()).isEqualTo(3);
    }

    @Test
    void aPastedPageIsCutToTheFirstWordsAndBadQueriesAreRefused() {
        String page = "alpha ".repeat(50) + "omega";
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            words.append("word").append(i).append(' ');
        }
        assertThat(LexicalQuery.parse(page, ANY).terms()).containsExactly("alpha", "omega");
        assertThat(LexicalQuery.parse(words.toString(), ANY).terms()).hasSize(LexicalQuery.MAX_QUERY_WORDS);
        assertThatThrownBy(() -> new LexicalQuery(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LexicalQuery(List.of("a"), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStopwordListIsLucenesPlusSnowballs() {
        List<String> stop = EnglishAnalysis.stopWords();
        assertThat(stop).contains("the", "and", "how", "my", "after", "do").doesNotContain("travel", "leave");
        assertThat(stop).isSorted().doesNotHaveDuplicates();
    }
}
