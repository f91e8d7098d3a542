package dev.steward.connectors.connection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.store.connection.ConnectionSettings;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The vendors a tenant can connect its agents to, and what each connection holds: what an admin sends to
 * {@code PUT /v1/connections/{vendor}} is checked here and becomes the stored {@link ConnectionSettings}.
 *
 * <p>A tenant never chooses where a call goes: Zendesk is {@code https://<subdomain>.zendesk.com}, with a subdomain
 * that can only name a host under {@code zendesk.com}, HubSpot is HubSpot's API host, Slack is Slack's, and Google
 * Calendar is Google's OAuth and Calendar hosts. Only the operator can point a vendor elsewhere ({@link VendorEndpoints}),
 * so a tenant cannot aim the platform at an arbitrary host (SSRF).
 *
 * <p>Each connection keeps one sealed secret ({@link ConnectionSettings#token()}): the API token for Zendesk and
 * HubSpot, the bot token for Slack; for Google Calendar the OAuth client secret and refresh token together
 * ({@link GoogleSecret}).
 */
public enum Vendor {
    /** Zendesk Support: subdomain, agent email and API token ({@code email/token} basic auth). */
    ZENDESK("zendesk", "Zendesk", List.of("subdomain", "email")),
    /** HubSpot CRM: a private app's access token (Bearer). */
    HUBSPOT("hubspot", "HubSpot", List.of()),
    /** Slack: a Slack app's bot token ({@code xoxb-...}, Bearer); the app posts as its bot user. */
    SLACK("slack", "Slack", List.of()),
    /**
     * Google Calendar: an OAuth client's id and the calendar the agents book in ({@code primary}, the connected account's
     * own, unless named); the client secret and the refresh token from Google's consent flow are sealed together.
     */
    GOOGLE_CALENDAR("google_calendar", "Google Calendar", List.of("client_id", "calendar_id"));

    /** One DNS label: a Zendesk subdomain can only name a host under zendesk.com. */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** Visible ASCII only: the token goes into an HTTP header, where a line break would inject another header. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{8,1024}");
    /** A Slack bot token: {@code xoxb-}, then the workspace and bot ids and a secret, joined by hyphens. */
    private static final Pattern SLACK_BOT_TOKEN = Pattern.compile("xoxb-[A-Za-z0-9-]{8,1019}");
    /** What Google issues as a web or installed app's OAuth client id. */
    private static final Pattern GOOGLE_CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}\\.apps\\.googleusercontent\\.com");
    /** {@code primary} or a calendar's id, which is an email-like address (no path or query characters). */
    private static final Pattern CALENDAR_ID = Pattern.compile("primary|[A-Za-z0-9._%+-]{1,200}@[A-Za-z0-9.-]{1,200}");

    private final String wire;
    private final String label;
    private final List<String> fields;

    Vendor(String wire, String label, List<String> fields) {
        this.wire = wire;
        this.label = label;
        this.fields = fields;
    }

    /** The name in URLs and stored items: {@code zendesk}, {@code hubspot}. */
    public String wire() {
        return wire;
    }

    /** The name people know: {@code Zendesk}, {@code HubSpot}. */
    public String label() {
        return label;
    }

    /** The settings of a connection besides its secrets, which the API shows back. */
    public List<String> fields() {
        return fields;
    }

    /** What an admin sends that is sealed and never shown back: {@code token}, or Google's client secret and refresh token. */
    public List<String> secrets() {
        return this == GOOGLE_CALENDAR ? List.of("client_secret", "refresh_token") : List.of("token");
    }

    public static Optional<Vendor> of(String wire) {
        return Arrays.stream(values()).filter(v -> v.wire.equals(wire)).findFirst();
    }

    /** Every vendor's wire name, for messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Vendor::wire).toList();
    }

    /**
     * The connection an admin asked for: {@code {"subdomain", "email", "token"}} for Zendesk, {@code {"token"}} for
     * HubSpot and Slack (whose token must be a bot token, {@code xoxb-}), {@code {"client_id", "calendar_id" (optional,
     * default "primary"), "client_secret", "refresh_token"}} for Google Calendar; nothing else is accepted.
     *
     * @throws IllegalArgumentException naming the first problem, in words an admin can act on
     */
    public ConnectionSettings settings(JsonNode body, Instant now, String by) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("send a JSON object with " + expected());
        }
        Set<String> allowed = new java.util.HashSet<>(fields);
        allowed.addAll(secrets());
        for (String name : (Iterable<String>) body::fieldNames) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "': a " + label + " connection takes " + expected()
                        + (name.toLowerCase(Locale.ROOT).contains("url") || name.equalsIgnoreCase("host")
                        ? " (the address of " + label + "'s API is not a tenant setting)" : ""));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fields) {
            values.put(field, this == GOOGLE_CALENDAR && field.equals("calendar_id") && !body.has(field) ? "primary" : text(body, field));
        }
        if (this == GOOGLE_CALENDAR) {
            return googleCalendar(body, values, now, by);
        }
        if (this == ZENDESK) {
            String subdomain = values.get("subdomain").toLowerCase(Locale.ROOT);
            if (!SUBDOMAIN.matcher(subdomain).matches()) {
                throw new IllegalArgumentException("'subdomain' must be the name before .zendesk.com, e.g. \"acme\" for "
                        + "https://acme.zendesk.com (letters, digits and hyphens)");
            }
            values.put("subdomain", subdomain);
            String email = values.get("email");
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw new IllegalArgumentException("'email' must be the Zendesk agent's email address, e.g. agent@acme.com");
            }
        }
        String token = text(body, "token");
        if (this == SLACK) {
            slackBotToken(token);
        }
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("'token' must be 8 to 1024 visible characters without spaces: "
                    + (this == ZENDESK ? "a Zendesk API token" : "a HubSpot private app access token"));
        }
        return new ConnectionSettings(wire, values, token, now, by);
    }

    /** Refuses what is not a bot token, saying which Slack token it looks like instead. */
    private static void slackBotToken(String token) {
        if (SLACK_BOT_TOKEN.matcher(token).matches()) {
            return;
        }
        String kind = token.startsWith("xoxp-") ? "a user token (xoxp-), which would post as that person"
                : token.startsWith("xapp-") ? "an app-level token (xapp-), which cannot post messages"
                : token.startsWith("xoxe") ? "a token rotation token (xoxe-)"
                : token.startsWith("xoxb-") ? "a bot token with characters Slack does not use (or too short)"
                : "not a Slack bot token";
        throw new IllegalArgumentException("'token' must be the app's Bot User OAuth Token, starting with xoxb- (Slack app settings, "
                + "OAuth & Permissions); this is " + kind);
    }

    private ConnectionSettings googleCalendar(JsonNode body, Map<String, String> values, Instant now, String by) {
        if (!GOOGLE_CLIENT_ID.matcher(values.get("client_id")).matches()) {
            throw new IllegalArgumentException("'client_id' must be the OAuth client's id from the Google Cloud console, "
                    + "e.g. 1234567890-abc123.apps.googleusercontent.com");
        }
        if (!CALENDAR_ID.matcher(values.get("calendar_id")).matches()) {
            throw new IllegalArgumentException("'calendar_id' must be \"primary\" (the connected account's own calendar) or a "
                    + "calendar's id, e.g. team@group.calendar.google.com");
        }
        String secret = text(body, "client_secret");
        if (!TOKEN.matcher(secret).matches()) {
            throw new IllegalArgumentException("'client_secret' must be 8 to 1024 visible characters without spaces: the OAuth "
                    + "client's secret");
        }
        String refresh = text(body, "refresh_token");
        if (!TOKEN.matcher(refresh).matches()) {
            throw new IllegalArgumentException("'refresh_token' must be 8 to 1024 visible characters without spaces: the refresh "
                    + "token Google's consent flow gave for scopes calendar.events and calendar.freebusy");
        }
        return new ConnectionSettings(wire, values, new GoogleSecret(secret, refresh).sealable(), now, by);
    }

    private String expected() {
        List<String> names = new java.util.ArrayList<>(fields);
        names.addAll(secrets());
        List<String> quoted = names.stream().map(f -> "'" + f + "'").toList();
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + (quoted.size() > 1 ? " and " : "") + quoted.getLast();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required and must be a non-empty string");
        }
        return v.asText().strip();
    }
}
