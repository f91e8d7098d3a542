package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.ToolResult;
import dev.steward.core.error.TransientException;
import java.util.Objects;

/**
 * What a vendor's 2xx answer to a write means. Most vendors answer a failure with a 4xx or 5xx, so a 2xx is always
 * {@link Done}; Slack's Web API answers HTTP 200 with {@code {"ok": false, "error": ...}} for a refusal, a rate limit or
 * its own failure, so a Slack tool reads the body to tell which ({@link ExternalHttpWrite#sendJudging}).
 */
public sealed interface WriteAnswer {

    /** The write happened: {@code outcome} is what the tool keeps of it (recorded, replayed to retries). */
    record Done(ObjectNode outcome) implements WriteAnswer {
        public Done {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** The vendor refused and did nothing: {@code failure} is what the model sees. */
    record Refused(ToolResult.Failed failure) implements WriteAnswer {
        public Refused {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** The vendor turned the request away without acting on it (a rate limit): {@code retry} asks for a retry, which sends. */
    record TurnedAway(TransientException retry) implements WriteAnswer {
        public TurnedAway {
            Objects.requireNonNull(retry, "retry");
        }
    }

    /** The vendor failed in a way that may have left the write done ({@code what}): its outcome is unknown. */
    record InDoubt(String what) implements WriteAnswer {
        public InDoubt {
            Objects.requireNonNull(what, "what");
        }
    }
}
