// Pure helpers for the Integrations tab: what each vendor card shows (built from the API's lists, secrets never
// included), the form checks done before sending (the same rules as the API, which stays the authority), and the
// words for a refused change.

import {
  ApiError,
  INTEGRATION_VENDORS,
  isWebhookVendor,
  type Connection,
  type ConnectionRequest,
  type IntegrationVendor,
  type Webhook,
  type WebhookRequest,
  type WebhookVendor,
} from '../../api/client';

export const VENDOR_LABELS: Record<IntegrationVendor, string> = {
  zendesk: 'Zendesk',
  hubspot: 'HubSpot',
  slack: 'Slack',
  google_calendar: 'Google Calendar',
};

/** An example event type per vendor that has webhooks, for the events field's placeholder. */
export const EVENT_EXAMPLES: Record<WebhookVendor, string> = {
  zendesk: 'zen:event-type:ticket.created',
  hubspot: 'ticket.creation',
};

/** The tools each vendor's connection lets an agent use: its write, then its read. */
export const CONNECTION_TOOLS: Record<IntegrationVendor, readonly string[]> = {
  zendesk: ['zendesk_comment', 'zendesk_read_ticket'],
  hubspot: ['crm_add_note', 'crm_read_record'],
  slack: ['slack_post_message', 'slack_read_channel'],
  google_calendar: ['calendar_create_event', 'calendar_find_free_time'],
};

/** A vendor's connection tools for a sentence, e.g. "crm_add_note and crm_read_record". */
export function connectionToolsText(vendor: IntegrationVendor): string {
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(CONNECTION_TOOLS[vendor]);
}

/** What a vendor card shows about its webhook: no secret, by construction. */
export interface WebhookView {
  agent: string;
  /** Empty: every event type starts a run. */
  events: string[];
  path: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** What a vendor card shows about its connection: the account fields and whether a token is set, never the token. */
export interface ConnectionView {
  /** Zendesk: subdomain and email (with labels); HubSpot: none; Google Calendar: client id and calendar. */
  fields: { name: 'subdomain' | 'email' | 'client_id' | 'calendar_id'; label: string; value: string }[];
  tokenSet: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface VendorView {
  vendor: IntegrationVendor;
  label: string;
  webhook: WebhookView | null;
  connection: ConnectionView | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * One view per vendor the tab manages (Zendesk, HubSpot, then Google Calendar, which never has a webhook), from `GET /v1/webhooks` and `GET /v1/connections`.
 * Only the fields named here are copied, so a secret or token a server sent by mistake would never reach the page;
 * entries for vendors the tab does not know are left out.
 */
export function vendorViews(webhooks: readonly Partial<Webhook>[] | null | undefined, connections: readonly Partial<Connection>[] | null | undefined): VendorView[] {
  return INTEGRATION_VENDORS.map((vendor) => {
    const hook = isWebhookVendor(vendor) ? (webhooks ?? []).find((w) => w?.source === vendor) : undefined;
    const conn = (connections ?? []).find((c) => c?.vendor === vendor);
    return {
      vendor,
      label: VENDOR_LABELS[vendor],
      webhook: hook
        ? {
            agent: text(hook.agent) ?? '',
            events: Array.isArray(hook.events) ? hook.events.filter((e): e is string => typeof e === 'string' && e !== '') : [],
            path: text(hook.path) ?? '',
            updatedAt: text(hook.updatedAt),
            updatedBy: text(hook.updatedBy),
          }
        : null,
      connection: conn
        ? {
            fields:
              vendor === 'zendesk'
                ? [
                    { name: 'subdomain' as const, label: 'Subdomain', value: text(conn.subdomain) ?? '' },
                    { name: 'email' as const, label: 'Agent email', value: text(conn.email) ?? '' },
                  ]
                : vendor === 'google_calendar'
                  ? [
                      { name: 'client_id' as const, label: 'OAuth client id', value: text(conn.client_id) ?? '' },
                      { name: 'calendar_id' as const, label: 'Calendar', value: text(conn.calendar_id) ?? '' },
                    ]
                  : [],
            tokenSet: conn.tokenSet === true,
            updatedAt: text(conn.updatedAt),
            updatedBy: text(conn.updatedBy),
          }
        : null,
    };
  });
}

/** "every event type" when the webhook has no filter, else the types joined with commas. */
export function eventsLabel(events: readonly string[]): string {
  return events.length ? events.join(', ') : 'every event type';
}

/** The address a vendor posts to: the API's `path` on the origin the app (and so the API) is served from. */
export function hookUrl(path: string, origin: string): string {
  if (!path) return '';
  return origin.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** Event types from what was typed: split on commas, spaces or lines, without blanks and duplicates, in order. */
export function parseEvents(typed: string): string[] {
  return [...new Set(typed.split(/[\s,]+/).filter((e) => e !== ''))];
}

// The API's rules (functions/api WebhooksApi, shared/connectors Vendor.java); values are stripped before they apply.
const MIN_SECRET = 16;
const MAX_SECRET = 512;
/** One DNS label; the API lower-cases the subdomain first. */
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Java's `\s` is these six characters only, so the check refuses nothing the API accepts. */
const EMAIL = /^[^@ \t\n\x0B\f\r]+@[^@ \t\n\x0B\f\r]+\.[^@ \t\n\x0B\f\r]+$/;
/** Visible ASCII, 8 to 1024 characters: the token goes into an HTTP header. */
const TOKEN = /^[\x21-\x7E]{8,1024}$/;
/** A Slack bot token, as Vendor.java's SLACK_BOT_TOKEN. */
const SLACK_BOT_TOKEN = /^xoxb-[A-Za-z0-9-]{8,1019}$/;
/** What Google issues as an OAuth client id. */
const GOOGLE_CLIENT_ID = /^[A-Za-z0-9._-]{1,200}\.apps\.googleusercontent\.com$/;
/** `primary` or a calendar's address. */
const CALENDAR_ID = /^(?:primary|[A-Za-z0-9._%+-]{1,200}@[A-Za-z0-9.-]{1,200})$/;

export type FormCheck<R, F extends string> = { ok: true; request: R } | { ok: false; errors: Partial<Record<F, string>> };

export type WebhookField = 'agent' | 'secret' | 'events';
export type ConnectionField = 'subdomain' | 'email' | 'token' | 'client_id' | 'calendar_id' | 'client_secret' | 'refresh_token';

/** Whether `value` is a Zendesk subdomain the API accepts (the `acme` of https://acme.zendesk.com). */
export function isZendeskSubdomain(value: string): boolean {
  return SUBDOMAIN.test(value.trim().toLowerCase());
}

function subdomainProblem(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Enter the Zendesk subdomain, e.g. acme for https://acme.zendesk.com.';
  if (isZendeskSubdomain(v)) return null;
  const host = /^(?:https?:\/\/)?([a-z0-9-]+)\.zendesk\.com\/?$/i.exec(v);
  if (host) return `Enter only the name before .zendesk.com: ${host[1]!.toLowerCase()}.`;
  return 'The subdomain must be one name of letters, digits and hyphens (not starting or ending with a hyphen, at most 63), e.g. acme.';
}

function tokenProblem(value: string, what: string): string | null {
  const v = value.trim();
  if (!v) return `Paste the ${what}.`;
  if (!TOKEN.test(v)) return `The ${what} must be 8 to 1024 visible characters without spaces.`;
  return null;
}

/**
 * Checks the webhook form before sending. The request carries the values stripped, as the API stores them, and no
 * `events` when none were typed (every event type starts a run).
 */
export function checkWebhookForm(form: { agent: string; secret: string; events: string }): FormCheck<WebhookRequest, WebhookField> {
  const errors: Partial<Record<WebhookField, string>> = {};
  const agent = form.agent.trim();
  const secret = form.secret.trim();
  if (!agent) errors.agent = 'Choose the agent the events start.';
  if (!secret) errors.secret = 'Paste the signing secret.';
  else if (secret.length < MIN_SECRET || secret.length > MAX_SECRET)
    errors.secret = `The secret must have ${MIN_SECRET} to ${MAX_SECRET} characters; this one has ${secret.length}.`;
  if (Object.keys(errors).length) return { ok: false, errors };
  const events = parseEvents(form.events);
  return { ok: true, request: events.length ? { agent, secret, events } : { agent, secret } };
}

/** What is wrong with a Slack token, naming the kind of Slack token it is when it is not a bot token (as the API does). */
function slackTokenProblem(value: string): string | null {
  const v = value.trim();
  if (!v) return "Paste the Slack app's Bot User OAuth Token (xoxb-…).";
  if (SLACK_BOT_TOKEN.test(v)) return null;
  if (v.startsWith('xoxp-')) return "This is a user token (xoxp-), which would post as that person: paste the app's Bot User OAuth Token, starting with xoxb-.";
  if (v.startsWith('xapp-')) return "This is an app-level token (xapp-), which cannot post messages: paste the Bot User OAuth Token, starting with xoxb-.";
  return "The token must be the Slack app's Bot User OAuth Token: xoxb- then letters, digits and hyphens (OAuth & Permissions).";
}

/**
 * Checks a connection form before sending: Zendesk needs subdomain, email and token; HubSpot and Slack the token only;
 * Google Calendar the client id, client secret and refresh token, and a calendar only when one was typed.
 */
export function checkConnectionForm(
  vendor: IntegrationVendor,
  form: { subdomain?: string; email?: string; token?: string; client_id?: string; calendar_id?: string; client_secret?: string; refresh_token?: string },
): FormCheck<ConnectionRequest, ConnectionField> {
  const errors: Partial<Record<ConnectionField, string>> = {};
  const token = (form.token ?? '').trim();
  if (vendor === 'google_calendar') return checkGoogleForm(form);
  if (vendor === 'zendesk') {
    const subdomain = (form.subdomain ?? '').trim();
    const email = (form.email ?? '').trim();
    const sub = subdomainProblem(subdomain);
    if (sub) errors.subdomain = sub;
    if (!email) errors.email = 'Enter the email address of the Zendesk agent to post as.';
    else if (email.length > 254 || !EMAIL.test(email)) errors.email = 'Enter an email address, e.g. agent@acme.com.';
    const tok = tokenProblem(token, 'Zendesk API token');
    if (tok) errors.token = tok;
    if (Object.keys(errors).length) return { ok: false, errors };
    return { ok: true, request: { subdomain: subdomain.toLowerCase(), email, token } };
  }
  const tok = vendor === 'slack' ? slackTokenProblem(token) : tokenProblem(token, 'HubSpot private app access token');
  if (tok) return { ok: false, errors: { token: tok } };
  return { ok: true, request: { token } };
}

function checkGoogleForm(form: { client_id?: string; calendar_id?: string; client_secret?: string; refresh_token?: string }): FormCheck<ConnectionRequest, ConnectionField> {
  const errors: Partial<Record<ConnectionField, string>> = {};
  const clientId = (form.client_id ?? '').trim();
  const calendarId = (form.calendar_id ?? '').trim();
  const clientSecret = (form.client_secret ?? '').trim();
  const refreshToken = (form.refresh_token ?? '').trim();
  if (!clientId) errors.client_id = "Enter the OAuth client's id from the Google Cloud console.";
  else if (!GOOGLE_CLIENT_ID.test(clientId)) errors.client_id = 'The client id ends in .apps.googleusercontent.com, e.g. 1234567890-abc.apps.googleusercontent.com.';
  if (calendarId && !CALENDAR_ID.test(calendarId)) errors.calendar_id = "Enter primary (the account's own calendar) or a calendar's id, e.g. team@group.calendar.google.com.";
  const secret = tokenProblem(clientSecret, 'OAuth client secret');
  if (secret) errors.client_secret = secret;
  const refresh = tokenProblem(refreshToken, 'refresh token');
  if (refresh) errors.refresh_token = refresh;
  if (Object.keys(errors).length) return { ok: false, errors };
  const request = { client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken };
  return { ok: true, request: calendarId ? { ...request, calendar_id: calendarId } : request };
}

/**
 * What to say when the API refused a change: a 403 means the key is not an admin's; 400 and 404 carry the API's own
 * message (the field it names, an unknown agent, nothing to remove); anything else says what failed.
 */
export function changeErrorMessage(e: ApiError, action: 'save' | 'remove'): string {
  if (e.status === 403) return `Only an admin can change integrations (${e.message}).`;
  if (e.status === 400 || e.status === 404) return e.message;
  return `Could not ${action}: ${e.message}`;
}
