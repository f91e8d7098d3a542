package dev.steward.guardrails;

import java.util.List;
import java.util.Objects;

/**
 * What a guardrail decided about one text. Callers handle it with an exhaustive switch:
 * <ul>
 *   <li>{@link Allow}: use the text as it is;</li>
 *   <li>{@link Redact}: use {@link Redact#text()} instead of the original (PII replaced by placeholders, or
 *       untrusted content wrapped as data); the loop continues;</li>
 *   <li>{@link Ask}: stop and ask a human (the run goes to {@code WAITING_FOR_REVIEW});</li>
 *   <li>{@link Deny}: do not use the text; the run answers or halts with {@link Deny#reason()}.</li>
 * </ul>
 * Every case except {@link Allow} carries at least one {@link Finding}.
 */
public sealed interface Verdict permits Verdict.Allow, Verdict.Redact, Verdict.Ask, Verdict.Deny {

    /** The findings behind this verdict, empty only for {@link Allow}. */
    List<Finding> findings();

    /** Nothing to act on. */
    record Allow() implements Verdict {
        @Override
        public List<Finding> findings() {
            return List.of();
        }
    }

    /** Continue with {@code text}, a transformed copy of the input. */
    record Redact(String text, List<Finding> findings) implements Verdict {
        public Redact {
            Objects.requireNonNull(text, "text");
            findings = nonEmpty(findings);
        }
    }

    /** A human must decide before the run may continue. */
    record Ask(String reason, List<Finding> findings) implements Verdict {
        public Ask {
            Objects.requireNonNull(reason, "reason");
            findings = nonEmpty(findings);
        }
    }

    /** The text must not be used. */
    record Deny(String reason, List<Finding> findings) implements Verdict {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            findings = nonEmpty(findings);
        }
    }

    static Verdict allow() {
        return new Allow();
    }

    /** Order of severity, for combining verdicts of several guardrails: Deny > Ask > Redact > Allow. */
    default int severity() {
        return switch (this) {
            case Allow a -> 0;
            case Redact r -> 1;
            case Ask a -> 2;
            case Deny d -> 3;
        };
    }

    private static List<Finding> nonEmpty(List<Finding> findings) {
        List<Finding> copy = List.copyOf(findings);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a verdict other than Allow needs at least one finding");
        }
        return copy;
    }
}
