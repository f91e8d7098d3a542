package dev.steward.connectors.hubspot;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of HubSpot CRM record the {@code crm_*} tools work on, one table for both: the singular name the model
 * writes as {@code objectType} ({@code contact}, {@code company}, {@code deal}, {@code ticket}), the plural word of the
 * CRM v3 API path ({@code /crm/v3/objects/contacts}), HubSpot's default (HUBSPOT_DEFINED) association type id from a
 * note to such a record, and what {@code crm_read_record} reads of it when the model names no properties (HubSpot's own
 * internal property names).
 */
enum CrmObjectType {
    CONTACT("contacts", 202, List.of("firstname", "lastname", "email", "phone", "company", "jobtitle", "lifecyclestage")),
    COMPANY("companies", 190, List.of("name", "domain", "industry", "phone", "city", "country")),
    DEAL("deals", 214, List.of("dealname", "amount", "dealstage", "pipeline", "closedate")),
    TICKET("tickets", 228, List.of("subject", "content", "hs_pipeline_stage", "hs_ticket_priority"));

    private final String path;
    private final int noteAssociation;
    private final List<String> defaultProperties;

    CrmObjectType(String path, int noteAssociation, List<String> defaultProperties) {
        this.path = path;
        this.noteAssociation = noteAssociation;
        this.defaultProperties = defaultProperties;
    }

    /**
     * The type the model named; the tools' schemas admit only the four singular names, so anything else here is a bug.
     */
    static CrmObjectType of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The singular name the model writes and sees, e.g. {@code contact}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The plural word in the CRM v3 API path, e.g. {@code contacts}. */
    String path() {
        return path;
    }

    int noteAssociation() {
        return noteAssociation;
    }

    List<String> defaultProperties() {
        return defaultProperties;
    }
}
