package dev.steward.connectors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.core.json.Json;
import dev.steward.store.connection.ConnectionSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The check {@link Reconcilable} describes for {@code zendesk_comment} ({@link ZendeskComment}): did an attempt whose
 * answer was lost post the comment? It reads, as the connection's agent, who that agent is ({@code GET
 * /api/v2/users/me.json}) and the ticket's {@value #CHECKED_COMMENTS} newest comments ({@code GET
 * /api/v2/tickets/{id}/comments.json?sort_order=desc}), and looks for the comment this call posts: the same body (line
 * endings and surrounding blanks aside, as {@code body} or {@code plain_body}), the same {@code public} flag, written
 * by that agent, through the API ({@code via.channel} {@code api}, when Zendesk gives one), created at or after the
 * first attempt began less {@link #CLOCK_SKEW}.
 * <ul>
 *   <li>Such a comment: the call is recorded as done with its id ({@link Reconciliation.Found}).</li>
 *   <li>None, and the page reaches back past that time (or is the ticket's last): {@link Reconciliation.Absent}.</li>
 *   <li>Zendesk unreachable or refusing (no connection any more, 401, 404, 5xx), or more comments since then than one
 *       page holds: {@link Reconciliation.Unknown}.</li>
 * </ul>
 * Zendesk accepts no idempotency key on ticket updates, so this is the only way to tell. Thread-safe. ({@link
 * ReconcilingWriteTool} turns a missing or incomplete connection and an unreachable Zendesk into {@link
 * Reconciliation.Unknown}.)
 */
final class ZendeskCommentCheck implements ReconcilingWriteTool.Check {
    /** How many of the ticket's newest comments are looked through: Zendesk's largest page. */
    static final int CHECKED_COMMENTS = 100;
    /** Allowance for Zendesk's clock running behind Steward's (its {@code created_at} also has whole seconds only). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final VendorEndpoints endpoints;
    private final ExternalHttpWrite write;
    private final ExternalHttpRead read;

    ZendeskCommentCheck(VendorEndpoints endpoints, ExternalHttpWrite write, ExternalHttpRead read) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.write = Objects.requireNonNull(write, "write");
        this.read = Objects.requireNonNull(read, "read");
    }

    @Override
    public Reconciliation look(ToolContext context, ConnectionSettings connection, JsonNode arguments, Instant since) {
        VendorAccount account = ZendeskAccount.of(endpoints, connection);
        long ticket = arguments.get("ticketId").asLong();
        ToolResult me = read.fetch(account.get("/api/v2/users/me.json"));
        JsonNode agent = me instanceof ToolResult.Success who ? who.output().path("user").path("id") : Json.object();
        if (!agent.canConvertToLong()) {
            return new Reconciliation.Unknown("Zendesk did not say which user the connection's agent is" + ReconcilingWriteTool.refusal(me));
        }
        ToolResult listed = read.fetch(ZendeskReadTicket.newestComments(account, ticket, CHECKED_COMMENTS));
        if (!(listed instanceof ToolResult.Success page) || !page.output().path("comments").isArray()) {
            return new Reconciliation.Unknown("Zendesk did not list ticket " + ticket + "'s comments" + ReconcilingWriteTool.refusal(listed));
        }
        Instant from = since.truncatedTo(ChronoUnit.SECONDS).minus(CLOCK_SKEW);
        boolean reachesBack = page.output().path("next_page").isNull() || page.output().path("next_page").isMissingNode();
        for (JsonNode comment : page.output().path("comments")) {
            Optional<Instant> created = createdAt(comment);
            if (created.isEmpty()) {
                return new Reconciliation.Unknown("Zendesk listed a comment of ticket " + ticket + " without a readable created_at");
            }
            if (created.get().isBefore(from)) {
                reachesBack = true;
            } else if (isThisCall(comment, arguments, agent.asLong())) {
                return new Reconciliation.Found(write.settle(context, ZendeskComment.NAME, arguments, outcome(ticket, arguments, comment)));
            }
        }
        if (!reachesBack) {
            return new Reconciliation.Unknown("ticket " + ticket + " has more than " + CHECKED_COMMENTS + " comments since " + from
                    + ", more than Steward looks through");
        }
        return new Reconciliation.Absent("Steward read ticket " + ticket + "'s comments on Zendesk: none since " + from + " is this "
                + (arguments.get("public").asBoolean() ? "public reply" : "internal note") + " by the connection's agent (user "
                + agent.asLong() + ").");
    }

    private static boolean isThisCall(JsonNode comment, JsonNode arguments, long agent) {
        JsonNode via = comment.path("via").path("channel");
        String body = normalized(arguments.get("body").asText());
        return comment.path("author_id").canConvertToLong() && comment.get("author_id").asLong() == agent
                && comment.path("public").isBoolean() && comment.get("public").asBoolean() == arguments.get("public").asBoolean()
                && (!via.isTextual() || via.asText().equals("api"))
                && (body.equals(normalized(comment.path("body").asText(""))) || body.equals(normalized(comment.path("plain_body").asText(""))));
    }

    /** The result the call would have had, from the comment found: its id (and audit's), when it was made, and how it was known. */
    private static ObjectNode outcome(long ticket, JsonNode arguments, JsonNode comment) {
        ObjectNode out = Json.object().put("status", "commented").put("ticketId", ticket).put("public", arguments.get("public").asBoolean());
        if (comment.path("audit_id").canConvertToLong()) {
            out.put("auditId", comment.get("audit_id").asLong());
        }
        out.put("commentId", comment.path("id").asLong());
        out.put("at", comment.get("created_at").asText());
        return out.put("foundOnTicket", true);
    }

    private static Optional<Instant> createdAt(JsonNode comment) {
        try {
            return Optional.of(Instant.parse(comment.path("created_at").asText()));
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    private static String normalized(String text) {
        return text.replace("\r\n", "\n").strip();
    }
}
