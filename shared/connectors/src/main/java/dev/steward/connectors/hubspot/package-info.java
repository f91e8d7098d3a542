/**
 * The HubSpot CRM connector: {@code crm_add_note} (a note on contacts, companies, deals or tickets) and
 * {@code crm_read_record} (one contact, company, deal or ticket and its properties), with each tenant's own private app
 * token (Bearer). Named {@code crm_*} so the tenant policy's CRM rules apply to them: the write asks a person, the
 * read runs as every read does.
 */
package dev.steward.connectors.hubspot;
