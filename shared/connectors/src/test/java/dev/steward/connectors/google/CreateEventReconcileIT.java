package dev.steward.connectors.google;

import static dev.steward.connectors.google.CalendarFixture.ACME;
import static dev.steward.connectors.google.CalendarFixture.ACME_ACCOUNT;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.ReconcilingWriteToolContract;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * calendar_create_event's {@link dev.steward.connectors.Reconcilable} check against the local Google stand-in: the event
 * an attempt whose answer was lost created is read back by its id and recorded as done; an id Google does not hold is
 * absent; another event under the id, or a calendar that cannot be read, is unknown.
 */
class CreateEventReconcileIT extends ReconcilingWriteToolContract {
    @RegisterExtension
    static final CalendarFixture GOOGLE = new CalendarFixture();

    @Override
    protected VendorFixture<?> fixture() {
        return GOOGLE;
    }

    @Override
    protected String toolName() {
        return "calendar_create_event";
    }

    @Override
    protected JsonNode arguments(String text) {
        return Json.tree("{\"summary\":\"" + text + "\",\"start\":\"2026-05-05T10:00:00+02:00\",\"end\":\"2026-05-05T11:00:00+02:00\","
                + "\"attendees\":[\"ana@partnerco.com\"]}");
    }

    @Override
    protected long writesReceived() {
        return GOOGLE.server().received().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/events")).count();
    }

    @Test
    void anEventWhoseAnswerWasLostIsReadBackByItsIdAndRecordedAsDone() {
        ToolContext call = newCall(ACME);
        JsonNode args = arguments("Kick-off");
        ToolResult.NeedsReview doubt = lostAnswer(call, args);

        Reconciliation found = reconcile(tool(), call, args, doubt.since());

        String id = CreateEvent.eventId(call, args);
        assertThat(found).isInstanceOfSatisfying(Reconciliation.Found.class, f -> {
            assertThat(f.result().replayed()).isTrue();
            assertThat(f.result().output().path("eventId").asText()).isEqualTo(id);
            assertThat(f.result().output().path("foundInGoogleCalendar").asBoolean()).isTrue();
        });
        assertThat(recordOf(call)).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(success(tool().execute(call, args)).replayed()).isTrue();
        assertThat(writesReceived()).isEqualTo(1);
        assertThat(GOOGLE.server().received().getLast().path()).isEqualTo("/calendar/v3/calendars/primary/events/" + id);
    }

    @Test
    void anEventThatNeverReachedGoogleIsAbsent() {
        ToolContext call = newCall(ACME);
        JsonNode args = arguments("Never arrived");
        GOOGLE.server().thenAnswer(Reply.json(502, "<html>Bad gateway</html>"));
        assertThatThrownBy(() -> tool().execute(call, args)).isExactlyInstanceOf(TransientException.class);

        Reconciliation absent = reconcile(tool(), call, args, Instant.now().minusSeconds(5));

        assertThat(absent).isInstanceOfSatisfying(Reconciliation.Absent.class, a -> assertThat(a.evidence())
                .contains("no event " + CreateEvent.eventId(call, args), "calendar primary", "cannot make a second one"));
        assertThat(recordOf(call)).as("still in doubt: a person decides").isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        assertThat(writesReceived()).isEqualTo(1);
    }

    @Test
    void anotherEventUnderTheIdOrARefusedReadIsUnknown() {
        ToolContext call = newCall(ACME);
        JsonNode args = arguments("Contested");
        GOOGLE.vendor().withEvent(ACME_ACCOUNT, Json.tree("""
                {"id":"%s","status":"confirmed","summary":"Contested",
                 "start":{"dateTime":"2026-05-05T12:00:00+02:00"},"end":{"dateTime":"2026-05-05T13:00:00+02:00"}}
                """.formatted(CreateEvent.eventId(call, args))));
        assertThat(reconcile(tool(), call, args, Instant.now())).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("not this call's"));

        GOOGLE.server().thenAnswer(Reply.json(403, "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"forbidden\","
                + "\"message\":\"Forbidden\"}],\"code\":403,\"message\":\"Forbidden\"}}"));
        assertThat(reconcile(tool(), newCall(ACME), arguments("Forbidden"), Instant.now())).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("unauthorized", "403"));
        assertThat(writesReceived()).isZero();
    }
}
