package dev.steward.connectors.google;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorReadTool;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.store.connection.ConnectionStore;
import java.time.Clock;
import java.util.List;

/**
 * Google Calendar for every tenant that has connected a Google account through an OAuth client of its own:
 * {@code calendar_create_event} (an effectively-once external write that Google also dedupes by a client-chosen event id,
 * and {@link dev.steward.connectors.Reconcilable} by reading that id) and {@code calendar_find_free_time} (a read). Both
 * call {@link VendorEndpoints#googleCalendar()} with an access token exchanged for the connection's refresh token at
 * {@link VendorEndpoints#googleOAuth()} and kept until shortly before it expires ({@link GoogleTokens}). A tenant without
 * a connection gets {@code not_connected}. Thread-safe.
 */
public final class GoogleCalendarConnector implements Connector {
    private final List<Tool> tools;

    public GoogleCalendarConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, ExternalHttpRead read,
            Clock clock) {
        this(endpoints, connections, write, read, new GoogleTokens(endpoints.googleOAuth(), endpoints.timeout(), clock));
    }

    /** With the access tokens {@code tokens} keeps (tests share one across connectors). */
    GoogleCalendarConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, ExternalHttpRead read,
            GoogleTokens tokens) {
        CreateEvent create = new CreateEvent(tokens, endpoints.googleCalendar(), write, read);
        FindFreeTime find = new FindFreeTime(tokens, endpoints.googleCalendar());
        this.tools = List.of(
                new ReconcilingWriteTool(new VendorWriteTool(CreateEvent.SPEC, Vendor.GOOGLE_CALENDAR, connections, write, create::send),
                        connections, create),
                new VendorReadTool<>(FindFreeTime.SPEC, Vendor.GOOGLE_CALENDAR, connections, read, CalendarConnection::of, find::read));
    }

    @Override
    public String name() {
        return Vendor.GOOGLE_CALENDAR.wire();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }
}
