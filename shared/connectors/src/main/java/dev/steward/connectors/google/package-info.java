/**
 * The Google Calendar connector: {@code calendar_find_free_time} (busy times of the connected calendar and of attendees
 * where Google shows them, and the free periods of a window) and {@code calendar_create_event} (an event with
 * invitations), with each tenant's own OAuth client and refresh token. The event's attendees fall under the tenant
 * policy's email domain allowlist as an email's recipients do.
 */
package dev.steward.connectors.google;
