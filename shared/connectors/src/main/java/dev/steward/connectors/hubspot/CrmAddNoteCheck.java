package dev.steward.connectors.hubspot;

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
import dev.steward.connectors.http.VendorRequest;
import dev.steward.core.json.Json;
import dev.steward.store.connection.ConnectionSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The check {@link Reconcilable} describes for {@code crm_add_note} ({@link CrmAddNote}): did an attempt whose answer
 * was lost create the note? It searches the account's notes as HubSpot's CRM search API documents it ({@code POST
 * /crm/v3/objects/notes/search}): those associated with the call's first record ({@code associations.<objectType>}
 * {@code EQ} its id) whose {@code hs_timestamp} is no earlier than the first attempt began less {@link #CLOCK_SKEW},
 * newest first, {@value #CHECKED_NOTES} at most; a note is this call's when its {@code hs_note_body} is exactly the
 * text the tool sends ({@link CrmAddNote#html}).
 * <ul>
 *   <li>Such a note: the call is recorded as done with its id ({@link Reconciliation.Found}).</li>
 *   <li>None, and HubSpot's {@code total} shows every match was returned: {@link Reconciliation.Absent}.</li>
 *   <li>HubSpot unreachable or refusing (no connection any more, 401, 403, 5xx), or more matches than one page holds:
 *       {@link Reconciliation.Unknown}.</li>
 * </ul>
 * HubSpot accepts no idempotency key on object creation, so this is the only way to tell. Its search index can lag a
 * new note by a few seconds, so an absence is evidence for a reviewer, not proof; the approved re-run looks again.
 * Thread-safe. ({@link ReconcilingWriteTool} turns a missing connection and an unreachable HubSpot into
 * {@link Reconciliation.Unknown}.)
 */
final class CrmAddNoteCheck implements ReconcilingWriteTool.Check {
    /** How many matching notes are looked through: the search API's largest page. */
    static final int CHECKED_NOTES = 100;
    /** Allowance for HubSpot's clock running behind Steward's; {@code hs_timestamp} is Steward's own clock, so it is generous. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final VendorEndpoints endpoints;
    private final ExternalHttpWrite write;
    private final ExternalHttpRead read;

    CrmAddNoteCheck(VendorEndpoints endpoints, ExternalHttpWrite write, ExternalHttpRead read) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.write = Objects.requireNonNull(write, "write");
        this.read = Objects.requireNonNull(read, "read");
    }

    @Override
    public Reconciliation look(ToolContext context, ConnectionSettings connection, JsonNode arguments, Instant since) {
        VendorAccount account = HubSpotConnector.account(endpoints, connection);
        JsonNode first = arguments.get("associations").get(0);
        String record = first.get("objectType").asText() + " " + first.get("id").asText();
        Instant from = since.truncatedTo(ChronoUnit.MILLIS).minus(CLOCK_SKEW);
        ToolResult searched = read.fetch(search(account, first, from));
        if (!(searched instanceof ToolResult.Success page) || !page.output().path("results").isArray()) {
            return new Reconciliation.Unknown("HubSpot did not search the notes on " + record + ReconcilingWriteTool.refusal(searched));
        }
        JsonNode results = page.output().get("results");
        String body = CrmAddNote.html(arguments.get("body").asText());
        for (JsonNode note : results) {
            if (body.equals(note.path("properties").path("hs_note_body").asText(null)) && note.hasNonNull("id")) {
                return new Reconciliation.Found(write.settle(context, CrmAddNote.NAME, arguments, outcome(arguments, note)));
            }
        }
        JsonNode total = page.output().path("total");
        if (!total.canConvertToLong() || total.asLong() > results.size()) {
            return new Reconciliation.Unknown("HubSpot has " + (total.canConvertToLong() ? total.asLong() : "an unstated number of")
                    + " notes on " + record + " since " + from + ", more than the " + results.size() + " Steward looks through");
        }
        return new Reconciliation.Absent("Steward searched HubSpot's notes on " + record + ": none of the " + results.size() + " since " + from
                + " has this call's text. HubSpot's search can take a few seconds to show a new note, so the approved re-run looks again.");
    }

    /** The newest notes on {@code first} (an association of the call) placed at or after {@code from}, as the CRM search API takes it. */
    private static VendorRequest search(VendorAccount account, JsonNode first, Instant from) {
        ObjectNode query = Json.object();
        var filters = query.putArray("filterGroups").addObject().putArray("filters");
        filters.addObject().put("propertyName", "hs_timestamp").put("operator", "GTE").put("value", Long.toString(from.toEpochMilli()));
        filters.addObject().put("propertyName", "associations." + first.get("objectType").asText()).put("operator", "EQ")
                .put("value", first.get("id").asText());
        query.putArray("properties").add("hs_note_body").add("hs_timestamp");
        query.putArray("sorts").addObject().put("propertyName", "hs_timestamp").put("direction", "DESCENDING");
        query.put("limit", CHECKED_NOTES);
        return account.request("POST", "/crm/v3/objects/notes/search", query);
    }

    /** The result the call would have had, from the note found: its id, when it was placed, and how it was known. */
    private static ObjectNode outcome(JsonNode arguments, JsonNode note) {
        ObjectNode out = CrmAddNote.outcome(arguments, note);
        JsonNode placed = note.path("properties").path("hs_timestamp");
        out.put("at", placed.isTextual() ? placed.asText() : note.path("createdAt").asText());
        return out.put("foundInHubSpot", true);
    }
}
