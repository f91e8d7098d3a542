/**
 * The HubSpot CRM connector: {@code crm_add_note} (a note on contacts, companies, deals or tickets), with each
 * tenant's own private app token (Bearer). Named {@code crm_*} so the tenant policy's CRM rules apply to it.
 */
package dev.steward.connectors.hubspot;
