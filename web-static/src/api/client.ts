// Typed client for the Steward HTTP API (v1). See docs/API.md.
// The API is served from the same origin as the page, so every URL is relative (`/v1/...`).

import { auditQuery, type AuditPage, type AuditRequest } from './audit';
import { formatJson, parseJsonWithSources } from '../lib/json';

export type RunStatus = 'QUEUED' | 'RUNNING' | 'WAITING_FOR_REVIEW' | 'SUCCEEDED' | 'HALTED' | 'FAILED';
export type DocumentStatus = 'QUEUED' | 'INDEXED' | 'FAILED';

/** Stable error codes from docs/API.md; any other string may appear from newer servers. */
export type ApiErrorCode =
  | 'malformed_json'
  | 'invalid_request'
  | 'missing_filename'
  | 'empty_document'
  | 'unauthorized'
  | 'forbidden'
  | 'already_decided'
  | 'not_found'
  | 'unknown_agent'
  | 'method_not_allowed'
  | 'document_too_large'
  | 'unsupported_type'
  | 'storage_unavailable'
  | 'internal_error'
  // Client-side codes, never sent by the server.
  | 'network_error'
  | 'bad_response'
  | (string & {});

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export interface Agent {
  name: string;
  description: string;
}

export interface AgentList {
  agents: Agent[];
}

/**
 * The answer to an upload: the document QUEUED for indexing, or, when the tenant already has these bytes indexed
 * under this name, that document as it is (`unchanged`, status INDEXED; nothing was stored).
 */
export interface DocumentAccepted {
  documentId: string;
  name: string;
  status: DocumentStatus;
  unchanged?: boolean;
}

/** Where to PUT a large file's bytes: `url` with exactly `headers` (signed with it), before `expiresAt`. */
export interface UploadUrl {
  method: string;
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Files larger than this are uploaded through an upload URL instead of the request body: on AWS a body passes API
 * Gateway and Lambda, which take about 6 MB (base64: about 4.5 MB of file).
 */
export const INLINE_UPLOAD_LIMIT = 4 * 1024 * 1024;

/**
 * The largest file the API takes by default (ApiConfig.DEFAULT_MAX_UPLOAD_BYTES; a deployment may set another with
 * MAX_UPLOAD_BYTES, or STEWARD_MAX_UPLOAD_BYTES in local mode): larger ones are refused `document_too_large`.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface StewardDocument {
  documentId: string;
  name: string;
  status: DocumentStatus;
  reason?: string | null;
  chunks?: number | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface DocumentList {
  documents: StewardDocument[];
  /** The largest file this deployment takes (its MAX_UPLOAD_BYTES); absent from an older API. */
  maxUploadBytes?: number;
}

export interface DocumentDeleted {
  documentId: string;
  deleted: true;
}

export interface RunAccepted {
  runId: string;
  status: RunStatus;
}

export interface Citation {
  documentId: string;
  chunkId: string;
  quote: string;
}

export interface Answer {
  answer: string;
  citations: Citation[];
  model: string;
}

export interface Source {
  documentId: string;
  chunkId: string;
  title: string;
  section?: string | null;
  text: string;
  score?: number | null;
  /** The chunk's metadata: `source` (the file name), `author`, times, a record's mapped fields. */
  metadata?: Record<string, string> | null;
}

/**
 * What a run may retrieve, by chunk metadata (docs/API.md, "Retrieval filters"): per field an exact value, any of
 * several values, or a time range; all fields must match.
 */
export type RetrievalFilters = Record<string, string | string[] | { from?: string; to?: string }>;

export interface GuardReason {
  detector: string;
  category: string;
  score?: number | null;
  subject?: string | null;
  detail?: string | null;
}

/** What the guardrails decided at one checkpoint of a step (see docs/API.md). */
export interface GuardVerdict {
  stage: string;
  verdict: 'ALLOW' | 'REDACT' | 'ASK' | 'DENY' | string;
  action?: string | null;
  reasons?: GuardReason[] | null;
}

export interface Step {
  step: string;
  outcome?: string | null;
  durationMs?: number | null;
  tokensIn?: number | null;
  tokensOut?: number | null;
  modelMs?: number | null;
  verdicts?: GuardVerdict[] | null;
}

export interface Run {
  runId: string;
  agent: string;
  input: string;
  status: RunStatus;
  answer?: Answer | null;
  sources?: Source[] | null;
  steps?: Step[] | null;
  error?: string | null;
  /** Set while the run is WAITING_FOR_REVIEW: the review that must be decided before it resumes. */
  reviewId?: string | null;
  /** The filters the run was started with, when it was. */
  filters?: RetrievalFilters | null;
  createdAt?: string;
  updatedAt?: string;
}

/** One run as `GET /v1/runs` lists it (docs/API.md, "Listing runs"); read the whole run with `GET /v1/runs/{id}`. */
export interface RunSummary {
  runId: string;
  agent: string;
  status: RunStatus;
  /** The start of the stored (redacted) input on one line, at most 120 characters, `…` when cut. */
  inputPreview: string;
  /** Present only while the run waits for that review. */
  reviewId?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface RunList {
  runs: RunSummary[];
  /** The cursor of the next page; null after the last one. */
  nextCursor?: string | null;
}

/** The `status` filter of `GET /v1/runs` (the API takes any case). */
export type RunStatusFilter = 'queued' | 'running' | 'waiting_for_review' | 'succeeded' | 'halted' | 'failed';

/** What `GET /v1/runs` is asked for; a parameter left out (or empty) is not sent. */
export interface ListRunsRequest {
  /** 1 to 100; the API's default is 20. */
  limit?: number | null;
  /** The previous page's `nextCursor`. */
  cursor?: string | null;
  status?: RunStatusFilter | null;
  agent?: string | null;
}

/** The query string of `GET /v1/runs` for `request` (with its `?`, or '' when nothing is asked). */
export function runsQuery(request: ListRunsRequest): string {
  const params = new URLSearchParams();
  if (request.limit !== undefined && request.limit !== null) params.set('limit', String(request.limit));
  if (request.cursor) params.set('cursor', request.cursor);
  if (request.status) params.set('status', request.status);
  if (request.agent) params.set('agent', request.agent);
  // URLSearchParams writes a space as '+'; %20 reads the same to every server.
  const query = params.toString().replace(/\+/g, '%20');
  return query ? `?${query}` : '';
}

export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'edited' | 'expired';
/** The `status` filter of `GET /v1/reviews`. */
export type ReviewStatusFilter = ReviewStatus | 'all';
export type DecisionKind = 'approve' | 'reject' | 'edit';

export const REVIEW_STATUS_FILTERS: readonly ReviewStatusFilter[] = ['pending', 'approved', 'rejected', 'edited', 'expired', 'all'];

/** The decision on a review, once there is one. */
export interface ReviewDecision {
  decision: DecisionKind;
  /** The edited payload (decision `edit`). */
  payload?: unknown;
  comment?: string | null;
  /** The principal that decided, e.g. `key:...`. */
  by?: string | null;
  at?: string | null;
}

/**
 * Human approval of one proposed tool call. Review responses are parsed with parseJsonWithSources, so
 * `prettyJson(review.payload)` (lib/json) shows the payload exactly as the server sent it.
 */
export interface Review {
  reviewId: string;
  runId: string;
  agent: string;
  status: ReviewStatus;
  tool: string;
  sideEffect?: string | null;
  payload: unknown;
  /** sha256 hex of the canonical payload. */
  payloadHash?: string | null;
  /** Why policy asked for a review. */
  reason?: string | null;
  createdAt?: string;
  expiresAt?: string | null;
  decision?: ReviewDecision | null;
}

export interface ReviewList {
  reviews: Review[];
}

/**
 * A decision to send. For `edit`, `payloadJson` is the edited payload as JSON text (a JSON object), sent verbatim
 * so that numbers and key order stay exactly as typed; validate it first (features/reviews/reviewHelpers).
 */
export type DecisionRequest =
  | { decision: 'approve' }
  | { decision: 'reject'; comment: string }
  | { decision: 'edit'; payloadJson: string; comment?: string | undefined };

/** The JSON body of `POST /v1/reviews/{id}/decision`. Throws a SyntaxError when an edit's payload is not JSON. */
export function decisionBody(request: DecisionRequest): string {
  switch (request.decision) {
    case 'approve':
      return JSON.stringify({ decision: 'approve' });
    case 'reject':
      return JSON.stringify({ decision: 'reject', comment: request.comment });
    case 'edit': {
      JSON.parse(request.payloadJson); // validates; the text itself is what is sent
      const comment = request.comment?.trim() ? `,"comment":${JSON.stringify(request.comment)}` : '';
      return `{"decision":"edit","payload":${formatJson(request.payloadJson, 0)}${comment}}`;
    }
  }
}

/** The periods the Usage tab offers; the API takes any whole number of days from 1 to 90. */
export const USAGE_PERIODS = [7, 30, 90] as const;

/** One UTC day of model usage (see docs/API.md, `GET /v1/usage`). */
export interface UsageDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  tokensIn: number;
  tokensOut: number;
  modelCalls: number;
  /** Guardrail verdicts other than ALLOW, counted by `STAGE.VERDICT` (e.g. `RETRIEVED_CHUNK.REDACT`). */
  guardrailVerdicts: Record<string, number>;
}

export interface UsageReport {
  /** Set when the report is for one agent. */
  agent?: string;
  /** Model tokens (in + out) the tenant may use per UTC day, over all its agents; absent from an older API. */
  dailyTokens?: number;
  /** Newest day first, one per day of the period. */
  days: UsageDay[];
}

/**
 * The vendors the Integrations tab manages: webhooks bring their events in (Zendesk, HubSpot), connections let tools
 * act on them (all four; Slack and Google Calendar have a connection only).
 */
export type IntegrationVendor = 'zendesk' | 'hubspot' | 'slack' | 'google_calendar';
export const INTEGRATION_VENDORS: readonly IntegrationVendor[] = ['zendesk', 'hubspot', 'slack', 'google_calendar'];
/** The vendors whose events can start runs (`PUT /v1/webhooks/{source}`). */
export type WebhookVendor = Exclude<IntegrationVendor, 'slack' | 'google_calendar'>;
export const isWebhookVendor = (vendor: IntegrationVendor): vendor is WebhookVendor => vendor === 'zendesk' || vendor === 'hubspot';

/** A vendor's webhook settings (`GET /v1/webhooks`); the API never sends the signing secret. */
export interface Webhook {
  source: IntegrationVendor | (string & {});
  /** The agent each event starts a run of. */
  agent: string;
  /** The event types that start a run; empty means every type. */
  events: string[];
  /** Where the vendor posts: `/v1/hooks/{tenant}/{source}` on the API's host. */
  path: string;
  updatedAt?: string;
  /** The principal that saved it, e.g. `key:...`. */
  updatedBy?: string;
}

export interface WebhookList {
  webhooks: Webhook[];
}

/** The body of `PUT /v1/webhooks/{source}`: the secret has 16 to 512 characters; no `events` means every type. */
export interface WebhookRequest {
  agent: string;
  secret: string;
  events?: string[];
}

/**
 * A vendor's connection (`GET /v1/connections`): Zendesk adds `subdomain` and `email`, Google Calendar `client_id`
 * and `calendar_id`; the API never sends the token (or Google's client secret and refresh token), only `tokenSet`.
 */
export interface Connection {
  vendor: IntegrationVendor | (string & {});
  subdomain?: string;
  email?: string;
  client_id?: string;
  calendar_id?: string;
  tokenSet: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

export interface ConnectionList {
  connections: Connection[];
}

/**
 * The body of `PUT /v1/connections/{vendor}`: Zendesk takes subdomain, email and token; HubSpot and Slack the token only;
 * Google Calendar its OAuth client's id and secret, a refresh token and optionally the calendar (default `primary`).
 */
export type ConnectionRequest =
  | { subdomain: string; email: string; token: string }
  | { token: string }
  | { client_id: string; client_secret: string; refresh_token: string; calendar_id?: string };

export interface WebhookDeleted {
  source: string;
  deleted: true;
}

export interface ConnectionDeleted {
  vendor: string;
  deleted: true;
}

export interface CreateRunRequest {
  agent: string;
  input: string;
  /** Restricts what the run retrieves; left out, the run searches every document its agent may see. */
  filters?: RetrievalFilters;
}

/** A failed API call: the HTTP status (0 when the request never got an answer) plus the API's error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;

  constructor(status: number, code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /** Whatever a view caught, as an ApiError: itself, or status 0 / 'unexpected' with its text (a bug or a network failure). */
  static from(e: unknown): ApiError {
    return e instanceof ApiError ? e : new ApiError(0, 'unexpected', String(e));
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  apiKey: string;
  /** Prefix for every route; '' (the default) means same origin. */
  baseUrl?: string;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: FetchLike;
}

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'HALTED', 'FAILED'];

/**
 * A run has ended when it is neither QUEUED, RUNNING nor WAITING_FOR_REVIEW (it resumes after the decision).
 * Unknown statuses count as ended, so polling stops.
 */
export function isRunFinished(status: string): boolean {
  return status !== 'QUEUED' && status !== 'RUNNING' && status !== 'WAITING_FOR_REVIEW';
}

/** Turns any non-2xx response into an ApiError, reading the `{"error":{"code","message"}}` shape when present. */
export async function toApiError(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // Body unreadable: fall through to the generic message.
  }
  if (text) {
    try {
      const body = JSON.parse(text) as Partial<ErrorBody>;
      const err = body?.error;
      if (err && typeof err.message === 'string') {
        return new ApiError(response.status, typeof err.code === 'string' ? err.code : `http_${response.status}`, err.message);
      }
    } catch {
      // Not JSON (a proxy's HTML page, say): fall through.
    }
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(response.status, `http_${response.status}`, `The server answered HTTP ${response.status}${statusText}.`);
}

export class StewardClient {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;

  constructor(options: ClientOptions) {
    this.apiKey = options.apiKey.trim();
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bind: calling an unbound window.fetch as a method throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  listAgents(signal?: AbortSignal): Promise<AgentList> {
    return this.request<AgentList>('GET', '/v1/agents', { signal });
  }

  createRun(request: CreateRunRequest, signal?: AbortSignal): Promise<RunAccepted> {
    return this.request<RunAccepted>('POST', '/v1/runs', {
      body: JSON.stringify(request),
      contentType: 'application/json',
      signal,
    });
  }

  getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    return this.request<Run>('GET', `/v1/runs/${encodeURIComponent(runId)}`, { signal });
  }

  /**
   * One page of the tenant's runs, newest first. A filtered page may hold fewer than `limit` runs, even none, and
   * still have a `nextCursor`. 400 `invalid_request` names a bad `limit`, `status`, `cursor` or `agent`.
   */
  listRuns(request: ListRunsRequest = {}, signal?: AbortSignal): Promise<RunList> {
    return this.request<RunList>('GET', `/v1/runs${runsQuery(request)}`, { signal });
  }

  /**
   * One page of the tenant's audit trail, newest first (admins only: 403 otherwise). A page filtered by action may
   * hold fewer than `limit` events, even none, and still have a `nextCursor`.
   */
  listAudit(request: AuditRequest = {}, signal?: AbortSignal): Promise<AuditPage> {
    return this.request<AuditPage>('GET', `/v1/audit${auditQuery(request)}`, { signal });
  }

  /**
   * Uploads a file's raw bytes; the server infers the type from `filename`'s extension. A file larger than
   * {@link INLINE_UPLOAD_LIMIT} goes through an upload URL: its size and SHA-256 are declared, then its bytes PUT there.
   */
  uploadDocument(filename: string, bytes: Blob | ArrayBuffer | Uint8Array, signal?: AbortSignal): Promise<DocumentAccepted> {
    const size = bytes instanceof Blob ? bytes.size : bytes.byteLength;
    if (size > INLINE_UPLOAD_LIMIT) return this.uploadThroughUrl(filename, bytes, size, signal);
    return this.request<DocumentAccepted>('POST', `/v1/documents?filename=${encodeURIComponent(filename)}`, {
      body: bytes as BodyInit,
      contentType: 'application/octet-stream',
      signal,
    });
  }

  private async uploadThroughUrl(filename: string, bytes: Blob | ArrayBuffer | Uint8Array, size: number, signal?: AbortSignal): Promise<DocumentAccepted> {
    const data = bytes instanceof Blob ? await bytes.arrayBuffer() : bytes;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
    const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    const asked = await this.request<DocumentAccepted & { upload?: UploadUrl }>('POST', '/v1/documents/uploads', {
      body: JSON.stringify({ name: filename, size, sha256 }),
      contentType: 'application/json',
      signal,
    });
    if (!asked.upload) return asked; // the same bytes, already indexed
    // The URL carries its own authorization: no API key. Content-Length is the body's own (browsers set it).
    const headers = Object.fromEntries(Object.entries(asked.upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
    let response: Response;
    try {
      response = await this.fetchImpl(asked.upload.url, { method: asked.upload.method, headers, body: bytes as BodyInit, signal });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new ApiError(0, 'network_error', 'Could not send the file to its upload URL. Check your connection and try again.');
    }
    if (!response.ok) throw await toApiError(response);
    return asked;
  }

  listDocuments(signal?: AbortSignal): Promise<DocumentList> {
    return this.request<DocumentList>('GET', '/v1/documents', { signal });
  }

  getDocument(documentId: string, signal?: AbortSignal): Promise<StewardDocument> {
    return this.request<StewardDocument>('GET', `/v1/documents/${encodeURIComponent(documentId)}`, { signal });
  }

  /**
   * Removes a document: its record and stored file at once, its chunks within seconds. 404 `not_found` for an id the
   * tenant does not have; 503 `storage_unavailable` when the file could not be removed (nothing was; try again).
   */
  deleteDocument(documentId: string, signal?: AbortSignal): Promise<DocumentDeleted> {
    return this.request<DocumentDeleted>('DELETE', `/v1/documents/${encodeURIComponent(documentId)}`, { signal });
  }

  /** Reviews with that status (default pending), newest first. */
  listReviews(status: ReviewStatusFilter = 'pending', signal?: AbortSignal): Promise<ReviewList> {
    return this.request<ReviewList>('GET', `/v1/reviews?status=${encodeURIComponent(status)}`, { signal, exact: true });
  }

  getReview(reviewId: string, signal?: AbortSignal): Promise<Review> {
    return this.request<Review>('GET', `/v1/reviews/${encodeURIComponent(reviewId)}`, { signal, exact: true });
  }

  /**
   * Decides a pending review and answers the updated review. Fails with ApiError 409 `already_decided` when another
   * decision won, 403 `forbidden` when the key's role may not decide, 400 `invalid_request` for a bad edit.
   */
  decideReview(reviewId: string, request: DecisionRequest, signal?: AbortSignal): Promise<Review> {
    return this.request<Review>('POST', `/v1/reviews/${encodeURIComponent(reviewId)}/decision`, {
      body: decisionBody(request),
      contentType: 'application/json',
      signal,
      exact: true,
    });
  }

  /** The tenant's (or one agent's) usage over the last `days` UTC days, newest first; 400 `invalid_request` outside 1-90. */
  getUsage(days: number, agent?: string | null, signal?: AbortSignal): Promise<UsageReport> {
    const forAgent = agent ? `&agent=${encodeURIComponent(agent)}` : '';
    return this.request<UsageReport>('GET', `/v1/usage?days=${encodeURIComponent(String(days))}${forAgent}`, { signal });
  }

  /** The tenant's webhooks (any role); never a secret. */
  listWebhooks(signal?: AbortSignal): Promise<WebhookList> {
    return this.request<WebhookList>('GET', '/v1/webhooks', { signal });
  }

  /**
   * Sets or replaces a vendor's webhook and answers the saved settings. Admin only (403 `forbidden`); 400
   * `invalid_request` naming the problem; 404 `unknown_agent` for an agent the tenant does not have.
   */
  saveWebhook(source: WebhookVendor, request: WebhookRequest, signal?: AbortSignal): Promise<Webhook> {
    return this.request<Webhook>('PUT', `/v1/webhooks/${encodeURIComponent(source)}`, {
      body: JSON.stringify(request),
      contentType: 'application/json',
      signal,
    });
  }

  /** Removes a vendor's webhook. Admin only (403); 404 `not_found` when none is set up. */
  deleteWebhook(source: WebhookVendor, signal?: AbortSignal): Promise<WebhookDeleted> {
    return this.request<WebhookDeleted>('DELETE', `/v1/webhooks/${encodeURIComponent(source)}`, { signal });
  }

  /** The tenant's connections (any role); never a token. */
  listConnections(signal?: AbortSignal): Promise<ConnectionList> {
    return this.request<ConnectionList>('GET', '/v1/connections', { signal });
  }

  /** Sets or replaces a vendor's connection and answers it without the token. Admin only (403); 400 `invalid_request`. */
  saveConnection(vendor: IntegrationVendor, request: ConnectionRequest, signal?: AbortSignal): Promise<Connection> {
    return this.request<Connection>('PUT', `/v1/connections/${encodeURIComponent(vendor)}`, {
      body: JSON.stringify(request),
      contentType: 'application/json',
      signal,
    });
  }

  /** Removes a vendor's connection. Admin only (403); 404 `not_found` when the tenant has none. */
  deleteConnection(vendor: IntegrationVendor, signal?: AbortSignal): Promise<ConnectionDeleted> {
    return this.request<ConnectionDeleted>('DELETE', `/v1/connections/${encodeURIComponent(vendor)}`, { signal });
  }

  private async request<T>(
    method: string,
    path: string,
    options: {
      body?: BodyInit;
      contentType?: string;
      signal?: AbortSignal | undefined;
      /** Parse with parseJsonWithSources, keeping each object's exact source text. */
      exact?: boolean;
    } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.apiKey}`,
    };
    if (options.contentType) headers['Content-Type'] = options.contentType;

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: options.body,
        signal: options.signal,
      });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new ApiError(0, 'network_error', 'Could not reach the Steward API. Check your connection and try again.');
    }

    if (!response.ok) throw await toApiError(response);

    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return (options.exact ? parseJsonWithSources(text) : JSON.parse(text)) as T;
    } catch {
      throw new ApiError(response.status, 'bad_response', 'The server sent a response that is not valid JSON.');
    }
  }
}

export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** Sleeps `ms`, rejecting with an AbortError if `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions {
  intervalMs?: number;
  /** Interval while the run is WAITING_FOR_REVIEW (a human decides; no need to ask twice a second); default intervalMs. */
  waitingIntervalMs?: number;
  /**
   * Gives up (with an ApiError code 'poll_timeout') after the run has been QUEUED or RUNNING this long; default: never.
   * Time spent WAITING_FOR_REVIEW does not count: the clock restarts when the run resumes.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with every fetched state, including the final one. */
  onUpdate?: (run: Run) => void;
  /** Injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/**
 * Polls `GET /v1/runs/{id}` every `intervalMs` (default 500 ms) until the run has ended (see isRunFinished):
 * a run WAITING_FOR_REVIEW keeps being polled, since it resumes once the review is decided.
 */
export async function pollRun(client: Pick<StewardClient, 'getRun'>, runId: string, options: PollOptions = {}): Promise<Run> {
  const interval = options.intervalMs ?? 500;
  const waitingInterval = options.waitingIntervalMs ?? interval;
  const wait = options.sleep ?? sleep;
  const now = options.now ?? Date.now;
  const budget = options.timeoutMs ?? Infinity;
  let deadline = now() + budget;
  for (;;) {
    const run = await client.getRun(runId, options.signal);
    options.onUpdate?.(run);
    if (isRunFinished(run.status)) return run;
    const waiting = run.status === 'WAITING_FOR_REVIEW';
    const pause = waiting ? waitingInterval : interval;
    if (waiting) {
      deadline = now() + pause + budget;
    } else if (now() + pause > deadline) {
      throw new ApiError(0, 'poll_timeout', `The run is still ${run.status} after ${Math.round(budget / 1000)} s.`);
    }
    await wait(pause, options.signal);
  }
}
