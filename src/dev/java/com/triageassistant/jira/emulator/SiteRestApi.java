package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A site's REST API v3, its Personal Data Reporting endpoint ({@link PersonalDataReporting}) and user avatars. Two
 * kinds of caller, never mixed: the app, whose calls carry its JWT (checked, recorded in
 * {@link EmulatedSite#appRequests()}, faults on demand), and a person signed in in a browser
 * (the host pages and {@code AP.request}), authenticated by the session cookie. A request with an
 * {@code Authorization} header is the app's whatever cookies it also carries, so neither identity can lend itself
 * to the other.
 */
final class SiteRestApi implements HttpHandler {

    private static final int MAX_RESULTS_WITH_FIELDS = 100;
    private static final int MAX_RESULTS_IDS_ONLY = 5_000;
    /** Jira's limit on an entity property's value. */
    private static final int MAX_PROPERTY_BYTES = 32_768;
    private static final int MAX_PROPERTY_KEY_LENGTH = 255;

    private final EmulatedSite site;
    private final BrowserSessions sessions;
    private final SearchPager pager;

    SiteRestApi(EmulatedSite site, BrowserSessions sessions) {
        this.site = site;
        this.sessions = sessions;
        this.pager = new SearchPager(site.state());
    }

    /**
     * Who a call acts as.
     *
     * @param accountId the person; for the app, its token's {@code sub}, or {@code null} when it acts as itself
     * @param app       whether the app made the call (JWT) rather than a signed-in person (session cookie)
     */
    private record Caller(String accountId, boolean app) {
    }

    /** An answer, decided before anything is written, so the call is recorded before the app sees the answer. */
    private record Response(int status, JsonNode body, Map<String, String> headers) {

        Response(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/secure/useravatar")) {
                avatar(exchange);
                return;
            }
            String method = exchange.getRequestMethod();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            serve(exchange, path, () -> authenticate(exchange, method, path, rawQuery), null);
        }
    }

    /**
     * A call the Forge platform routed here from {@code /ex/jira/{cloudId}{path}} after checking its bearer token:
     * it acts as the app's user, with the same faults and recording as the app's Connect calls.
     *
     * @return the call as recorded on the site
     */
    AppRequest handleForge(HttpExchange exchange, String path, String appAccountId, String bearerToken)
            throws IOException {
        try (exchange) {
            return serve(exchange, path, () -> new Caller(appAccountId, true), bearerToken);
        }
    }

    /** @param bearerToken the Forge system token the call came with; null for a call straight to the site */
    private AppRequest serve(HttpExchange exchange, String path, Supplier<Caller> authentication,
                             String bearerToken) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Caller[] caller = new Caller[1];
        Response response = answer(authentication, method, path, rawQuery, body, caller);
        AppRequest request = new AppRequest(Instant.now(), method, path, rawQuery, body, response.status(),
                caller[0] == null ? null : caller[0].accountId(),
                bearerToken == null ? AppRequest.Route.CONNECT : AppRequest.Route.FORGE, bearerToken);
        if (caller[0] == null || caller[0].app()) {
            site.record(request);
        } else if (!method.equals("GET")) {
            site.recordPerson(request);
        }
        response.headers().forEach(exchange.getResponseHeaders()::add);
        send(exchange, response.status(), response.body());
        return request;
    }

    private Response answer(Supplier<Caller> authentication, String method, String path, String rawQuery,
                            String body, Caller[] caller) {
        try {
            caller[0] = authentication.get();
            Optional<RestFaults.Fault> fault = caller[0].app() ? site.faults().next(path) : Optional.empty();
            if (fault.isPresent() && fault.get() instanceof RestFaults.Status injected) {
                Map<String, String> headers = injected.retryAfterSeconds() == null ? Map.of() : Map.of(
                        "Retry-After", String.valueOf(injected.retryAfterSeconds()),
                        "X-RateLimit-Reset", Instant.now().plusSeconds(injected.retryAfterSeconds()).toString());
                return new Response(injected.status(),
                        error(injected.status() == 429 ? "Rate limit exceeded." : "Internal server error"), headers);
            }
            if (fault.isPresent() && fault.get() instanceof RestFaults.Delay delay) {
                Thread.sleep(delay.delay().toMillis());
            }
            return route(method, path, params(rawQuery), body, caller[0]);
        } catch (JiraRequestException e) {
            ObjectNode error = JiraJson.MAPPER.createObjectNode();
            e.errorMessages().forEach(error.putArray("errorMessages")::add);
            ObjectNode errors = error.putObject("errors");
            e.errors().forEach(errors::put);
            return new Response(e.status(), error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(503, error("Interrupted"));
        }
    }

    private Caller authenticate(HttpExchange exchange, String method, String path, String rawQuery) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            Optional<EmulatedUser> person = sessions.signedIn(exchange);
            if (person.isPresent()) {
                if (!sessions.sameOriginOrSafe(exchange)) {
                    throw new JiraRequestException(403, List.of("XSRF check failed"), Map.of());
                }
                return new Caller(person.get().accountId(), false);
            }
        }
        InstalledApp app = site.authenticatingApp()
                .orElseThrow(() -> new JiraRequestException(401, List.of("The app is not installed"), Map.of()));
        String token = header != null && header.startsWith("JWT ") ? header.substring(4) : null;
        JWTClaimsSet claims = AppJwtVerifier.verify(token, site.sharedSecret(), app.key(), method, path, rawQuery);
        return new Caller(claims.getSubject(), true);
    }

    private Response route(String method, String path, Map<String, List<String>> params, String body,
                           Caller caller) {
        String[] parts = path.split("/");
        String accountId = caller.accountId();
        if (path.equals("/app/report-accounts/") && method.equals("POST")) {
            PersonalDataReporting.Answer answer = site.personalData().answer(readJson(body));
            return new Response(answer.status(), answer.body(), answer.headers());
        }
        if (path.equals("/rest/api/3/search/jql") && (method.equals("GET") || method.equals("POST"))) {
            return new Response(200, search(method.equals("POST") ? searchParams(body) : params));
        }
        if (parts.length >= 7 && path.startsWith("/rest/api/3/issue/") && parts[6].equals("properties")) {
            return issueProperties(method, decode(parts[5]), parts.length == 8 ? decode(parts[7]) : null,
                    parts.length, body);
        }
        if (parts.length == 6 && path.startsWith("/rest/api/3/issue/")) {
            String key = decode(parts[5]);
            if (method.equals("GET")) {
                EmulatedIssue issue = site.state().issue(key).orElseThrow(() -> JiraRequestException.notFound(
                        "Issue does not exist or you do not have permission to see it."));
                return new Response(200, site.json().issue(issue, fieldSet(params.get("fields"), true)));
            }
            if (method.equals("PUT")) {
                site.state().edit(key, IssueEditParser.parse(body), site.actor(accountId));
                return new Response(204, null);
            }
        }
        if (path.equals("/rest/api/3/myself") && method.equals("GET")) {
            return new Response(200, site.json().user(site.actor(accountId))); // the app itself when it acts as itself
        }
        if (path.equals("/rest/api/3/user") && method.equals("GET")) {
            String id = first(params, "accountId").orElseThrow(() -> JiraRequestException.badRequest(
                    "The accountId query parameter needs to be provided."));
            return new Response(200, site.json().user(site.state().user(id).orElseThrow(() ->
                    JiraRequestException.notFound("Specified user does not exist or you do not have required "
                            + "permissions"))));
        }
        if (path.equals("/rest/api/3/user/assignable/search") && method.equals("GET")) {
            return new Response(200, assignable(params));
        }
        if (path.equals("/rest/api/3/priority") && method.equals("GET")) {
            ArrayNode priorities = JiraJson.MAPPER.createArrayNode();
            SiteState.PRIORITIES.forEach(name -> priorities.add(site.json().priority(name)));
            return new Response(200, priorities);
        }
        if (path.equals("/rest/api/3/project/search") && method.equals("GET")) {
            return new Response(200, projectSearch(params));
        }
        if (parts.length == 6 && path.startsWith("/rest/api/3/project/") && method.equals("GET")) {
            EmulatedProject project = site.state().requireProject(parts[5]);
            return new Response(200, site.json().project(project));
        }
        if (path.equals("/rest/api/3/mypermissions") && method.equals("GET")) {
            return new Response(200, myPermissions(params, accountId));
        }
        if (path.equals("/rest/api/3/permissions/check") && method.equals("POST")) {
            return new Response(200, checkPermissions(readJson(body), caller));
        }
        throw JiraRequestException.notFound("No resource at " + method + " " + path);
    }

    private ObjectNode search(Map<String, List<String>> params) {
        String jqlText = first(params, "jql").orElse("");
        Jql jql = Jql.parse(jqlText);
        Set<String> fields = fieldSet(params.get("fields"), false);
        int limit = fields.isEmpty() ? MAX_RESULTS_IDS_ONLY : MAX_RESULTS_WITH_FIELDS;
        int maxResults = Math.min(limit, first(params, "maxResults").map(SiteRestApi::positiveInt).orElse(50));
        SearchPager.Page page = pager.page(jql, jqlText, first(params, "nextPageToken").orElse(null), maxResults);
        ObjectNode result = JiraJson.MAPPER.createObjectNode();
        ArrayNode issues = result.putArray("issues");
        page.issues().forEach(issue -> issues.add(site.json().issue(issue, fields)));
        if (page.nextPageToken() != null) {
            result.put("nextPageToken", page.nextPageToken());
        }
        result.put("isLast", page.nextPageToken() == null);
        return result;
    }

    private static Map<String, List<String>> searchParams(String body) {
        JsonNode request = readJson(body);
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String name : List.of("jql", "nextPageToken", "maxResults")) {
            if (request.hasNonNull(name)) {
                params.put(name, List.of(request.get(name).asText()));
            }
        }
        List<String> fields = new ArrayList<>();
        request.path("fields").forEach(field -> fields.add(field.asText()));
        if (!fields.isEmpty()) {
            params.put("fields", fields);
        }
        return params;
    }

    /**
     * Fields named in {@code fields} (repeated or comma-separated). For search, none named means ids only, as in
     * Jira; for GET issue it means all.
     */
    private static Set<String> fieldSet(List<String> requested, boolean allByDefault) {
        if (requested == null || requested.isEmpty()) {
            return allByDefault ? null : Set.of();
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String value : requested) {
            for (String field : value.split(",")) {
                String name = field.strip();
                if (name.equals("*all") || name.equals("*navigable")) {
                    return null;
                }
                if (!name.isEmpty()) {
                    fields.add(name);
                }
            }
        }
        return fields;
    }

    private ArrayNode assignable(Map<String, List<String>> params) {
        String project = first(params, "project").or(() -> first(params, "projectKeys"))
                .orElseThrow(() -> JiraRequestException.badRequest(
                        "The project, issueKey, or actionDescriptorId parameters are required."));
        int startAt = first(params, "startAt").map(Integer::parseInt).orElse(0);
        int maxResults = Math.min(1000, first(params, "maxResults").map(SiteRestApi::positiveInt).orElse(50));
        List<EmulatedUser> users = site.state().assignableUsers(project);
        ArrayNode result = JiraJson.MAPPER.createArrayNode();
        users.stream().skip(startAt).limit(maxResults).forEach(user -> result.add(site.json().user(user)));
        return result;
    }

    private ObjectNode projectSearch(Map<String, List<String>> params) {
        int startAt = first(params, "startAt").map(Integer::parseInt).orElse(0);
        int maxResults = Math.min(100, first(params, "maxResults").map(SiteRestApi::positiveInt).orElse(50));
        List<EmulatedProject> projects = site.state().projects();
        ObjectNode result = JiraJson.MAPPER.createObjectNode();
        ArrayNode values = result.putArray("values");
        projects.stream().skip(startAt).limit(maxResults).forEach(project -> values.add(site.json().project(project)));
        result.put("startAt", startAt).put("maxResults", maxResults).put("total", projects.size())
                .put("isLast", startAt + maxResults >= projects.size());
        return result;
    }

    private ObjectNode myPermissions(Map<String, List<String>> params, String accountId) {
        List<String> requested = first(params, "permissions").map(value -> List.of(value.split(",")))
                .orElseThrow(() -> JiraRequestException.badRequest("The permissions query parameter is required."));
        Optional<EmulatedProject> project = first(params, "projectKey").or(() -> first(params, "projectId"))
                .map(site.state()::requireProject);
        EmulatedUser subject = site.actor(accountId);
        SitePermissions rules = site.permissions();
        ObjectNode result = JiraJson.MAPPER.createObjectNode();
        ObjectNode permissions = result.putObject("permissions");
        for (String permission : requested) {
            String key = permission.strip();
            boolean have = SitePermissions.isGlobalPermission(key) ? rules.hasGlobalPermission(subject, key)
                    : rules.hasProjectPermission(subject, key, project.orElse(null));
            permissions.putObject(key).put("key", key).put("havePermission", have);
        }
        return result;
    }

    /**
     * Get bulk permissions. The app may ask about any account; a signed-in person only about themselves (others
     * need "Administer Jira", which nobody has here). Project and issue ids that do not exist are left out.
     */
    private ObjectNode checkPermissions(JsonNode request, Caller caller) {
        String accountId = request.hasNonNull("accountId") ? request.get("accountId").asText() : caller.accountId();
        if (!caller.app() && !caller.accountId().equals(accountId)) {
            throw new JiraRequestException(403, List.of(
                    "You don't have permission to check the permissions of other users."), Map.of());
        }
        EmulatedUser subject = site.actor(accountId);
        SitePermissions rules = site.permissions();
        ObjectNode result = JiraJson.MAPPER.createObjectNode();
        ArrayNode global = result.putArray("globalPermissions");
        for (JsonNode permission : request.path("globalPermissions")) {
            String key = permission.asText();
            if (!SitePermissions.isGlobalPermission(key)) {
                throw JiraRequestException.badRequest("Unrecognized global permission: " + key);
            }
            if (rules.hasGlobalPermission(subject, key)) {
                global.add(key);
            }
        }
        Map<String, Set<Long>> projectsByPermission = new LinkedHashMap<>();
        Map<String, Set<Long>> issuesByPermission = new LinkedHashMap<>();
        for (JsonNode entry : request.path("projectPermissions")) {
            List<EmulatedProject> projects = new ArrayList<>();
            entry.path("projects").forEach(id -> site.state().project(id.asText()).ifPresent(projects::add));
            List<EmulatedIssue> issues = new ArrayList<>();
            entry.path("issues").forEach(id -> site.state().issue(id.asText()).ifPresent(issues::add));
            for (JsonNode permission : entry.path("permissions")) {
                String key = permission.asText();
                if (!SitePermissions.isProjectPermission(key)) {
                    throw JiraRequestException.badRequest("Unrecognized project permission: " + key);
                }
                Set<Long> grantedProjects = projectsByPermission.computeIfAbsent(key, k -> new LinkedHashSet<>());
                Set<Long> grantedIssues = issuesByPermission.computeIfAbsent(key, k -> new LinkedHashSet<>());
                projects.stream().filter(project -> rules.hasProjectPermission(subject, key, project))
                        .forEach(project -> grantedProjects.add(project.id()));
                issues.stream().filter(issue -> rules.hasProjectPermission(subject, key,
                                site.state().project(issue.projectKey()).orElse(null)))
                        .forEach(issue -> grantedIssues.add(issue.id()));
            }
        }
        ArrayNode grants = result.putArray("projectPermissions");
        projectsByPermission.forEach((permission, projects) -> {
            ObjectNode grant = grants.addObject().put("permission", permission);
            issuesByPermission.get(permission).forEach(grant.putArray("issues")::add);
            projects.forEach(grant.putArray("projects")::add);
        });
        return result;
    }

    /** Issue entity properties: list, get, set (200 replaced, 201 created), delete. Setting fires no webhook. */
    private Response issueProperties(String method, String issueKey, String propertyKey, int pathParts,
                                     String body) {
        SiteState state = site.state();
        EmulatedIssue issue = state.requireIssue(issueKey);
        if (pathParts == 7 && method.equals("GET")) {
            ObjectNode result = JiraJson.MAPPER.createObjectNode();
            ArrayNode keys = result.putArray("keys");
            for (String key : state.issuePropertyKeys(issueKey)) {
                keys.addObject().put("self", site.baseUrl() + "/rest/api/3/issue/" + issue.id() + "/properties/"
                        + URLEncoder.encode(key, StandardCharsets.UTF_8)).put("key", key);
            }
            return new Response(200, result);
        }
        if (pathParts != 8 || propertyKey.isEmpty()) {
            throw JiraRequestException.notFound("No resource at " + method + " issue properties");
        }
        switch (method) {
            case "GET" -> {
                JsonNode value = state.issueProperty(issueKey, propertyKey).orElseThrow(() ->
                        JiraRequestException.notFound("The property with key '" + propertyKey + "' does not exist."));
                ObjectNode result = JiraJson.MAPPER.createObjectNode().put("key", propertyKey);
                result.set("value", value);
                return new Response(200, result);
            }
            case "PUT" -> {
                if (propertyKey.length() > MAX_PROPERTY_KEY_LENGTH) {
                    throw JiraRequestException.badRequest("The property key cannot be longer than "
                            + MAX_PROPERTY_KEY_LENGTH + " characters.");
                }
                if (body.getBytes(StandardCharsets.UTF_8).length > MAX_PROPERTY_BYTES) {
                    throw JiraRequestException.badRequest("The property value cannot be longer than "
                            + MAX_PROPERTY_BYTES + " bytes.");
                }
                if (body.isBlank()) {
                    throw JiraRequestException.badRequest("The property value must be valid JSON.");
                }
                boolean created = state.setIssueProperty(issueKey, propertyKey, readJson(body));
                return new Response(created ? 201 : 200, null);
            }
            case "DELETE" -> {
                if (!state.deleteIssueProperty(issueKey, propertyKey)) {
                    throw JiraRequestException.notFound("The property with key '" + propertyKey
                            + "' does not exist.");
                }
                return new Response(204, null);
            }
            default -> throw JiraRequestException.notFound("No resource at " + method + " issue properties");
        }
    }

    private static String decode(String pathSegment) {
        return URLDecoder.decode(pathSegment, StandardCharsets.UTF_8);
    }

    private void avatar(HttpExchange exchange) throws IOException {
        String accountId = first(params(exchange.getRequestURI().getRawQuery()), "accountId").orElse("?");
        String initial = site.state().user(accountId).map(EmulatedUser::displayName).filter(name -> !name.isEmpty())
                .map(name -> name.substring(0, 1).toUpperCase()).orElse("?");
        int hue = Math.floorMod(accountId.hashCode(), 360);
        String svg = "<svg xmlns='http://www.w3.org/2000/svg' width='48' height='48'><circle cx='24' cy='24' r='24' "
                + "fill='hsl(" + hue + ",55%,45%)'/><text x='24' y='31' font-size='22' text-anchor='middle' "
                + "fill='white' font-family='sans-serif'>" + escapeXml(initial) + "</text></svg>";
        byte[] bytes = svg.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "image/svg+xml");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JiraJson.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode error = JiraJson.MAPPER.createObjectNode();
        error.putArray("errorMessages").add(message);
        error.putObject("errors");
        return error;
    }

    static JsonNode readJson(String body) {
        try {
            return JiraJson.MAPPER.readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            throw JiraRequestException.badRequest("Unexpected character in the request body: not valid JSON.");
        }
    }

    private static int positiveInt(String value) {
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw JiraRequestException.badRequest("'" + value + "' is not a valid number.");
        }
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    static Map<String, List<String>> params(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
