package dev.steward.guardrails.policy;

import com.cedarpolicy.model.DetailedError;
import com.cedarpolicy.model.Effect;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import dev.steward.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One version of one tenant's policy, parsed and validated: Cedar policies over Steward's schema plus the tenant's
 * email domain allowlist. Immutable and thread-safe; build one with {@link #compile} (stored versions) or
 * {@link #baseline} (a tenant that stored none, version 0). It only ever decides requests of its own tenant.
 *
 * <p>Every policy in the text needs a unique {@code @id("...")} annotation, which decisions name; an optional
 * {@code @reason("...")} is the sentence a reviewer or the model sees ({@code {tool}} and {@code {agent}} are
 * filled in). Templates ({@code ?principal}) are not accepted.
 */
public final class TenantPolicy {
    /** Largest accepted policy text, in characters. */
    public static final int MAX_SOURCE_CHARS = 65_536;
    /** Most email domains an allowlist may hold. */
    public static final int MAX_EMAIL_DOMAINS = 200;
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    private final TenantId tenant;
    private final long version;
    private final String source;
    private final Set<String> emailDomains;
    private final PolicySet policySet;
    private final Map<String, Rule> rulesByCedarId;

    private TenantPolicy(TenantId tenant, long version, String source, Set<String> emailDomains, PolicySet policySet,
            Map<String, Rule> rulesByCedarId) {
        this.tenant = tenant;
        this.version = version;
        this.source = source;
        this.emailDomains = emailDomains;
        this.policySet = policySet;
        this.rulesByCedarId = rulesByCedarId;
    }

    /**
     * Parses and validates a policy text against Steward's schema (strict), checks the rule ids and the allowlist.
     *
     * @param emailDomains domains whose addresses count as inside the allowlist (each covers its subdomains)
     * @throws InvalidPolicyException naming every problem found (Cedar's parse or validation error with the policy id
     *     and line, a missing or repeated {@code @id}, a malformed domain)
     */
    public static TenantPolicy compile(TenantId tenant, long version, String source, Collection<String> emailDomains) {
        if (version < 0) {
            throw new IllegalArgumentException("policy version must be 0 or more, got " + version);
        }
        if (source == null) {
            throw new InvalidPolicyException(List.of("the policy text is missing"));
        }
        if (source.length() > MAX_SOURCE_CHARS) {
            throw new InvalidPolicyException(List.of("the policy text has " + source.length() + " characters; at most "
                    + MAX_SOURCE_CHARS + " are accepted"));
        }
        Set<String> domains = normalizeDomains(emailDomains);
        PolicySet set;
        try {
            set = PolicySet.parsePolicies(source);
        } catch (InternalException e) {
            throw new InvalidPolicyException(List.of("the policy text does not parse as Cedar: " + String.join("; ", e.getErrors())
                    .replace("Internal JNI Error: ", "")));
        }
        if (set.getNumTemplates() > 0) {
            throw new InvalidPolicyException(List.of("policy templates (?principal, ?resource) are not supported; write static policies"));
        }
        Map<String, Rule> rules = rules(set);
        validate(set, rules, source);
        try {
            // Parsed once on Cedar's side for every later decision; freed when this policy is garbage collected.
            set.cache();
        } catch (com.cedarpolicy.model.exception.CacheException e) {
            throw new IllegalStateException("Cedar could not keep a validated policy set", e);
        }
        return new TenantPolicy(tenant, version, source, domains, set, rules);
    }

    /** The built-in policy for a tenant that stored none (version 0), with no email domain allowlist. */
    public static TenantPolicy baseline(TenantId tenant) {
        return compile(tenant, 0, CedarRuntime.BASELINE_TEXT, List.of());
    }

    /** The text of the built-in baseline policy. */
    public static String baselineSource() {
        return CedarRuntime.BASELINE_TEXT;
    }

    /** The Cedar schema every policy is validated against. */
    public static String schemaSource() {
        return CedarRuntime.SCHEMA_TEXT;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The stored version this was compiled from; 0 for the baseline. */
    public long version() {
        return version;
    }

    public String source() {
        return source;
    }

    /** Normalized (lower-case), sorted, without duplicates. */
    public Set<String> emailDomains() {
        return emailDomains;
    }

    /** The {@code @id}s of the policies, in the order they appear in the text. */
    public List<String> ruleIds() {
        return rulesByCedarId.values().stream().map(Rule::id).toList();
    }

    PolicySet policySet() {
        return policySet;
    }

    Rule rule(String cedarId) {
        Rule r = rulesByCedarId.get(cedarId);
        if (r == null) {
            throw new IllegalStateException("Cedar named policy " + cedarId + ", which tenant " + tenant + " version " + version + " does not have");
        }
        return r;
    }

    /** The rules Cedar named, in the order they appear in the text. */
    List<Rule> rulesInTextOrder(Collection<String> cedarIds) {
        cedarIds.forEach(this::rule);
        return rulesByCedarId.values().stream().filter(r -> cedarIds.contains(r.cedarId())).toList();
    }

    /** Whether {@code domain} is covered by the allowlist: equal to a listed domain or one of its subdomains. */
    boolean allowsDomain(String domain) {
        for (String d : emailDomains) {
            if (domain.equals(d) || domain.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> normalizeDomains(Collection<String> emailDomains) {
        Set<String> out = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String raw : emailDomains == null ? List.<String>of() : emailDomains) {
            String d = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(d).matches()) {
                problems.add("email domain '" + raw + "' is not a domain name (write e.g. example.com, without @)");
            } else {
                out.add(d);
            }
        }
        if (out.size() > MAX_EMAIL_DOMAINS) {
            problems.add("the email domain allowlist has " + out.size() + " domains; at most " + MAX_EMAIL_DOMAINS + " are accepted");
        }
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** The rules in text order (Cedar numbers them policy0, policy1, ... as they appear), each with a checked @id. */
    private static Map<String, Rule> rules(PolicySet set) {
        List<Policy> policies = new ArrayList<>(set.policies);
        policies.sort(Comparator.comparingInt(p -> cedarIndex(p.policyID)));
        Map<String, Rule> rules = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Policy p : policies) {
            n++;
            Map<String, String> annotations;
            boolean forbid;
            try {
                annotations = p.getAnnotations();
                forbid = p.effect() == Effect.FORBID;
            } catch (InternalException e) {
                throw new IllegalStateException("Cedar could not read back a policy it parsed", e);
            }
            String id = annotations.get("id");
            String where = "policy " + n + " (" + firstLine(p.policySrc) + ")";
            if (id == null) {
                problems.add(where + " has no @id(\"...\") annotation; every policy needs one, decisions name it");
                continue;
            }
            if (!RULE_ID.matcher(id).matches()) {
                problems.add(where + ": @id(\"" + id + "\") must be 1-64 letters, digits, '_', '.', ':' or '-'");
                continue;
            }
            if (id.equals(PolicyDecision.DEFAULT_DENY) || id.equals(PolicyDecision.EVALUATION_ERROR)) {
                problems.add(where + ": @id(\"" + id + "\") is reserved for the engine's own decisions");
                continue;
            }
            Integer previous = seen.putIfAbsent(id, n);
            if (previous != null) {
                problems.add(where + ": @id(\"" + id + "\") is already used by policy " + previous);
                continue;
            }
            rules.put(p.policyID, new Rule(p.policyID, id, annotations.get("reason"), forbid));
        }
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return rules;
    }

    private static void validate(PolicySet set, Map<String, Rule> rules, String source) {
        ValidationResponse response;
        try {
            response = CedarRuntime.engine().validate(new ValidationRequest(CedarRuntime.schema(), set));
        } catch (AuthException e) {
            throw new InvalidPolicyException(List.of("the policy text could not be validated: " + e.getMessage()));
        }
        if (response.validationPassed()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        response.success.ifPresent(s -> s.validationErrors.forEach(err -> {
            Rule r = rules.get(err.getPolicyId());
            String policySrc = set.policies.stream().filter(p -> p.policyID.equals(err.getPolicyId()))
                    .map(p -> p.policySrc).findFirst().orElse("");
            String name = r == null ? err.getPolicyId() : r.id();
            problems.add("policy @id(\"" + name + "\")" + describe(err.getError(), policySrc, source)
                    .replace("`" + err.getPolicyId() + "`", "`" + name + "`"));
        }));
        response.errors.ifPresent(errs -> errs.forEach(err -> problems.add("the policy text" + describe(err, "", source))));
        if (problems.isEmpty()) {
            problems.add("the policy text does not validate against Steward's schema");
        }
        throw new InvalidPolicyException(problems);
    }

    /** Cedar's message, with the line (in the whole text) and the quoted part of the policy it points at. */
    private static String describe(DetailedError e, String policySrc, String source) {
        StringBuilder b = new StringBuilder();
        if (!e.sourceLocations.isEmpty()) {
            DetailedError.SourceLabel at = e.sourceLocations.get(0);
            int policyStart = policySrc.isEmpty() ? -1 : source.indexOf(policySrc);
            if (policyStart >= 0) {
                b.append(" at line ").append(lineOf(source, policyStart + at.start));
            }
            if (at.start >= 0 && at.end <= policySrc.length() && at.start < at.end) {
                b.append(" (`").append(policySrc, at.start, at.end).append("`)");
            }
        }
        b.append(": ").append(e.message);
        e.help.ifPresent(h -> b.append(" (").append(h).append(")"));
        return b.toString();
    }

    private static int lineOf(String source, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int cedarIndex(String cedarId) {
        try {
            return Integer.parseInt(cedarId.replaceFirst("^policy", ""));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String firstLine(String policySrc) {
        String line = policySrc.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("@") && !l.startsWith("//")).findFirst().orElse(policySrc.strip());
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }
}
