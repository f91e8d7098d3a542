package dev.steward.function.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.webhook.SignedRequest;
import dev.steward.connectors.webhook.Webhook;
import dev.steward.connectors.webhook.WebhookEvent;
import dev.steward.connectors.webhook.WebhookRejectedException;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.webhook.WebhookSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Webhooks from Zendesk and HubSpot start agent runs. An admin sets, per vendor, the agent to run, the secret the
 * vendor signs with and optionally which event types count ({@code PUT /v1/webhooks/{source}}); the vendor then posts
 * to {@code /v1/hooks/{tenant}/{source}}, a route without an API key whose requests are authenticated by their
 * signature alone.
 *
 * <p>Each event of a verified delivery starts one run through {@link RunsApi#begin}, so its text is redacted at the
 * door and checked like any user input. The run's id is derived from the tenant, the vendor and the event's own id,
 * so a redelivery (vendors retry on any error or timeout) finds the run already there and starts nothing. If the
 * state machine cannot be reached the run stays QUEUED and the sweeper starts it: the delivery is still acknowledged,
 * because the event is stored.
 */
final class WebhooksApi {
    /** Larger bodies are refused with 413; a HubSpot batch of 100 events is about 40 KB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MIN_SECRET_CHARS = 16;
    /** Runs of one delivery started at once (HubSpot sends up to 100 events and waits 5 s). */
    static final int START_CONCURRENCY = 8;
    private final ApiConfig config;
    private final RunsApi runs;

    WebhooksApi(ApiConfig config, RunsApi runs) {
        this.config = config;
        this.runs = runs;
    }

    ObjectNode list(Principal who) {
        ObjectNode out = Json.object();
        ArrayNode hooks = out.putArray("webhooks");
        config.stores().webhooks().listSealed(who.tenant()).forEach(s -> hooks.add(view(who.tenant(), s)));
        return out;
    }

    ObjectNode save(Principal who, String source, JsonNode body, String requestId) {
        Access.requireAdmin(who, "set up webhooks");
        Webhook webhook = vendor(source);
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_request", "send a JSON object with 'agent', 'secret' and optional 'events'");
        }
        String agent = RunsApi.requiredText(body, "agent");
        if (!runs.agentExists(who.tenant(), agent)) {
            throw new ApiException(404, "unknown_agent", "agent '" + agent + "' does not exist in this tenant");
        }
        String secret = RunsApi.requiredText(body, "secret");
        if (secret.length() < MIN_SECRET_CHARS || secret.length() > 512) {
            throw ApiException.badRequest("invalid_request", "'secret' must have " + MIN_SECRET_CHARS + " to 512 characters: "
                    + "the webhook's signing secret (Zendesk) or the app's client secret (HubSpot)");
        }
        WebhookSettings settings = new WebhookSettings(webhook.source(), agent, secret, events(body), config.clock().instant(), who.id());
        config.stores().webhooks().put(who.tenant(), settings, AuditApi.event(who, requestId, settings.updatedAt(),
                AuditAction.WEBHOOK_SAVED, settings.source(), Map.of("agent", agent,
                        "events", settings.events().isEmpty() ? "all" : String.join(", ", settings.events()))));
        return view(who.tenant(), settings);
    }

    ObjectNode delete(Principal who, String source, String requestId) {
        Access.requireAdmin(who, "remove webhooks");
        String vendor = vendor(source).source();
        if (!config.stores().webhooks().delete(who.tenant(), vendor, AuditApi.event(who, requestId, config.clock().instant(),
                AuditAction.WEBHOOK_REMOVED, vendor, Map.of()))) {
            throw ApiException.notFound("webhook " + source);
        }
        return Json.object().put("source", source).put("deleted", true);
    }

    /** A vendor's delivery: verified, then one run per accepted event. 202 when a run started, else 200. */
    Delivery receive(String tenantParam, String source, APIGatewayV2HTTPEvent event, byte[] body) {
        Webhook webhook = vendor(source);
        if (!TenantId.isValid(tenantParam)) {
            throw notSetUp(source);
        }
        TenantId tenant = TenantId.of(tenantParam);
        WebhookSettings settings = config.stores().webhooks().find(tenant, webhook.source()).orElseThrow(() -> notSetUp(source));
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "payload_too_large", "the webhook body has " + body.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        SignedRequest request = new SignedRequest(event.getRequestContext().getHttp().getMethod(), url(event), event.getHeaders(), body);
        List<WebhookEvent> events;
        try {
            webhook.verify(request, settings.secret(), config.clock().instant());
            events = webhook.events(request);
        } catch (WebhookRejectedException e) {
            throw new ApiException(e.status(), e.code(), e.getMessage());
        }
        if (!runs.agentExists(tenant, settings.agent())) {
            // the sender retries until an admin points the webhook at an existing agent
            throw new ApiException(409, "webhook_misconfigured", "the agent '" + settings.agent() + "' this " + source
                    + " webhook starts no longer exists; an admin must update the webhook");
        }
        ObjectNode out = Json.object();
        ArrayNode started = out.putArray("runs");
        ArrayNode ignored = out.putArray("ignored");
        List<WebhookEvent> accepted = new ArrayList<>();
        for (WebhookEvent e : events) {
            if (settings.accepts(e.type())) {
                accepted.add(e);
            } else {
                ignored.addObject().put("event", e.key()).put("type", e.type());
            }
        }
        List<Started> outcomes = startAll(accepted, e -> start(tenant, webhook, settings, e));
        boolean anyStarted = false;
        for (Started s : outcomes) {
            anyStarted |= s.isNew();
            started.addObject().put("event", s.event().key()).put("type", s.event().type())
                    .put("runId", s.id().value()).put("status", s.isNew() ? "started" : "duplicate");
        }
        return new Delivery(anyStarted ? 202 : 200, out);
    }

    /** An event's run: {@code isNew} when this delivery started it, false when it already existed (a redelivery). */
    private record Started(WebhookEvent event, RunId id, boolean isNew) {}

    private Started start(TenantId tenant, Webhook webhook, WebhookSettings settings, WebhookEvent e) {
        RunId id = runIdOf(tenant, webhook.source(), e.key());
        boolean isNew = config.stores().runs().find(tenant, id).isEmpty() && runs.begin(tenant, id, settings.agent(),
                capped(e.input()), RetrievalFilter.NONE, RunsApi.OnStartFailure.LEAVE_QUEUED).isPresent();
        return new Started(e, id, isNew);
    }

    /**
     * Applies {@code start} to every event, up to {@link #START_CONCURRENCY} at once, and returns the outcomes in the
     * events' order. Each start reads and writes the table, redacts (a Comprehend call with that provider) and calls
     * Step Functions, and HubSpot gives a delivery of up to 100 events 5 seconds before it retries. The first failure
     * is thrown once every start has ended, so the response never leaves starts running behind it.
     */
    static <E, R> List<R> startAll(List<E> events, Function<E, R> start) {
        if (events.size() <= 1) {
            return events.stream().map(start).toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(events.size(), START_CONCURRENCY),
                Thread.ofVirtual().name("webhook-start-", 0).factory())) {
            List<Future<R>> futures = events.stream().map(e -> pool.submit(() -> start.apply(e))).toList();
            List<R> outcomes = new ArrayList<>(futures.size());
            RuntimeException failure = null;
            for (Future<R> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException ex) {
                    RuntimeException cause = ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting the delivery's runs", ex);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return outcomes;
        }
    }

    /** The answer to a delivery. */
    record Delivery(int status, ObjectNode body) {}

    /** One run per (tenant, vendor, event): the same event always maps to the same id, and other events never do. */
    static RunId runIdOf(TenantId tenant, String source, String eventKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((tenant.value() + "\n" + source + "\n" + eventKey).getBytes(StandardCharsets.UTF_8));
            return new RunId("run_" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The URL the vendor posted to, as it signed it: scheme and host as the client sent them, path and query raw. */
    static String url(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String proto = header(headers, "x-forwarded-proto");
        String host = header(headers, "host");
        if (host == null && event.getRequestContext() != null) {
            host = event.getRequestContext().getDomainName();
        }
        String query = event.getRawQueryString();
        return (proto == null ? "https" : proto) + "://" + (host == null ? "" : host) + event.getRawPath()
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** A long ticket is cut to the run input limit, saying so, rather than refused: the vendor would only resend it. */
    private static String capped(String input) {
        String marker = "\n[cut: the event's text was longer than " + RunsApi.MAX_INPUT_CHARS + " characters]";
        return input.length() <= RunsApi.MAX_INPUT_CHARS ? input : input.substring(0, RunsApi.MAX_INPUT_CHARS - marker.length()) + marker;
    }

    private static Webhook vendor(String source) {
        return Webhook.forSource(source).orElseThrow(() -> ApiException.notFound("webhook source '" + source + "' (supported: "
                + String.join(", ", Webhook.all().stream().map(Webhook::source).toList()) + ")"));
    }

    private static ApiException notSetUp(String source) {
        return new ApiException(404, "not_found", "no " + source + " webhook is set up at this address");
    }

    private ObjectNode view(TenantId tenant, WebhookSettings s) {
        ObjectNode v = Json.object().put("source", s.source()).put("agent", s.agent())
                .put("path", "/v1/hooks/" + tenant.value() + "/" + s.source())
                .put("updatedAt", s.updatedAt().toString()).put("updatedBy", s.updatedBy());
        v.set("events", Json.mapper().valueToTree(s.events()));
        return v;
    }

    private static List<String> events(JsonNode body) {
        JsonNode v = body.get("events");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("invalid_request", "'events' must be an array of event type names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw ApiException.badRequest("invalid_request", "'events' must hold non-empty strings, e.g. \"zen:event-type:ticket.created\"");
            }
            out.add(e.asText().strip());
        }
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }
}
