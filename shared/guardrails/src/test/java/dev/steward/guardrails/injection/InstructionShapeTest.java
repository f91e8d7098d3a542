package dev.steward.guardrails.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionShapeTest {
    private static List<Object> names(String text) {
        List<Object> f = InstructionShape.features(text);
        return java.util.stream.IntStream.range(0, f.size()).filter(i -> i % 2 == 0).mapToObj(f::get).toList();
    }

    @Test
    void imperativeOpeningWhateverTheTopic() {
        assertThat(names("Develop a speech about tides.")).contains("shape_imperative");
        assertThat(names("Please summarize the thread in two lines")).contains("shape_imperative");
        assertThat(names("Schreibe ein Gedicht über den Herbst.")).contains("shape_imperative");
    }

    @Test
    void questionToTheReaderAndTalkOfTheAnswer() {
        assertThat(names("What is the capital of Peru?")).containsExactly("shape_question");
        assertThat(names("Add a joke to your reply.")).contains("shape_imperative", "shape_your_output",
                "shape_second_person");
        assertThat(names("What is the capital of Peru")).doesNotContain("shape_question");
    }

    @Test
    void plainStatementsHaveNoShape() {
        assertThat(names("The invoice for March is attached.")).isEmpty();
        assertThat(names("Developers met in Lisbon last week.")).isEmpty();
    }
}
