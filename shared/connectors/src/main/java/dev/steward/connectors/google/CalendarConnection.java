package dev.steward.connectors.google;

import dev.steward.connectors.connection.GoogleSecret;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.store.connection.ConnectionSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A tenant's Google Calendar connection as the tools use it: the OAuth client's id, its secrets and the calendar the
 * agents book in. {@link #toString()} never shows the secrets.
 */
record CalendarConnection(String clientId, String calendarId, GoogleSecret secret) {
    CalendarConnection {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(calendarId, "calendarId");
        Objects.requireNonNull(secret, "secret");
    }

    /** @throws IllegalArgumentException naming what the stored connection lacks */
    static CalendarConnection of(ConnectionSettings connection) {
        String clientId = connection.field("client_id");
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("it has no client_id");
        }
        String calendar = connection.field("calendar_id");
        return new CalendarConnection(clientId, calendar == null || calendar.isBlank() ? "primary" : calendar,
                GoogleSecret.of(connection.token()));
    }

    /** The Calendar API at {@code root} with {@code accessToken} as {@code Bearer}. */
    static VendorAccount account(URI root, String accessToken) {
        return new VendorAccount(Vendor.GOOGLE_CALENDAR, root, "Bearer " + accessToken);
    }

    /** The path of the connection's calendar, its id escaped: {@code /calendars/primary}, {@code /calendars/team%40group...}. */
    String calendarPath() {
        return "/calendars/" + URLEncoder.encode(calendarId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "CalendarConnection[" + clientId + ", " + calendarId + ", secret=****]";
    }
}
