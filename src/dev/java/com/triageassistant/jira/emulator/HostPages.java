package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * What a browser gets from a site (sandbox and browser tests): the pages ({@link HostPageViews}), the Connect
 * JavaScript ({@code /atlassian-connect/all.js} for the app's iframes, {@code /s/emulator/host.js} for the pages),
 * issue creation from the Create dialog, and the context tokens the page hands to the app's iframes. Everything but
 * the scripts and the sign-in needs a signed-in person ({@link BrowserSessions}); what changes something must come
 * from the site's own pages.
 */
final class HostPages implements HttpHandler {

    private static final Pattern ISSUE_PAGE = Pattern.compile("/browse/([A-Z][A-Z0-9_]*-[0-9]+)");
    private static final Pattern PROJECT_PAGE = Pattern.compile("/browse/([A-Z][A-Z0-9_]*)");
    private static final Pattern SETTINGS_PAGE = Pattern.compile(
            "/plugins/servlet/project-config/([A-Z][A-Z0-9_]*)(?:/apps/([^/]+))?");
    private static final Map<String, String> SCRIPTS = Map.of(
            "/atlassian-connect/all.js", "/jira-emulator/connect/all.js",
            "/s/emulator/host.js", "/jira-emulator/connect/host.js",
            "/s/emulator/host.css", "/jira-emulator/pages/host.css");

    private final EmulatedSite site;
    private final BrowserSessions sessions;
    private final HostPageViews views;
    private final String authority;

    HostPages(EmulatedSite site, BrowserSessions sessions) {
        this.site = site;
        this.sessions = sessions;
        this.views = new HostPageViews(site);
        this.authority = URI.create(site.baseUrl()).getRawAuthority();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Optional<EmulatedUser> viewer = sessions.signedIn(exchange);
            try {
                route(exchange, method, path, viewer);
            } catch (JiraRequestException e) {
                String message = (String.join(" ", e.errorMessages()) + " " + String.join(" ", e.errors().values()))
                        .strip();
                if (path.startsWith("/plugins/servlet/ac/")) {
                    sendJson(exchange, e.status(), error(message));
                } else {
                    sendHtml(exchange, e.status(), views.message(viewer.orElse(null), "Something's not right",
                            message));
                }
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path, Optional<EmulatedUser> viewer)
            throws IOException {
        if (method.equals("GET") && SCRIPTS.containsKey(path)) {
            sendResource(exchange, SCRIPTS.get(path));
            return;
        }
        if (method.equals("GET") && !authority.equals(exchange.getRequestHeaders().getFirst("Host"))) {
            // Like Jira with its base URL: one origin only, so xdm_e, cookies and the iframes' messages agree.
            redirect(exchange, site.baseUrl() + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            return;
        }
        if (path.equals("/sandbox/login") && method.equals("GET")) {
            signIn(exchange);
            return;
        }
        if (viewer.isEmpty()) {
            if (method.equals("GET")) {
                redirect(exchange, "/sandbox/login?return=" + HostPageViews.encode(pathAndQuery(exchange)));
            } else {
                sendJson(exchange, 401, error("You are not signed in."));
            }
            return;
        }
        if (!sessions.sameOriginOrSafe(exchange)) {
            sendJson(exchange, 403, error("XSRF check failed"));
            return;
        }
        EmulatedUser me = viewer.get();
        String returnPath = pathAndQuery(exchange);
        Matcher issuePage = ISSUE_PAGE.matcher(path);
        Matcher projectPage = PROJECT_PAGE.matcher(path);
        Matcher settingsPage = SETTINGS_PAGE.matcher(path);
        if (method.equals("GET") && path.equals("/")) {
            sendHtml(exchange, 200, views.index(me));
        } else if (method.equals("GET") && issuePage.matches()) {
            sendHtml(exchange, 200, views.issue(me, site.state().requireIssue(issuePage.group(1)), returnPath));
        } else if (method.equals("GET") && projectPage.matches()) {
            projectPage(exchange, me, projectPage.group(1));
        } else if (method.equals("GET") && settingsPage.matches()) {
            settings(exchange, me, settingsPage.group(1), settingsPage.group(2), returnPath);
        } else if (method.equals("POST") && path.equals("/secure/CreateIssue")) {
            createIssue(exchange, me);
        } else if (method.equals("POST") && path.equals("/plugins/servlet/ac/context-token")) {
            contextToken(exchange, me);
        } else {
            sendHtml(exchange, 404, views.message(me, "Page not found", "There is nothing at " + path + "."));
        }
    }

    /** {@code ?accountId=&return=}: sign in as that person; without an account, the list to choose from. */
    private void signIn(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = SiteRestApi.params(exchange.getRequestURI().getRawQuery());
        String returnPath = safeReturnPath(first(params, "return"));
        String accountId = first(params, "accountId");
        if (accountId == null || accountId.isEmpty()) {
            sendHtml(exchange, 200, views.signIn(returnPath));
            return;
        }
        EmulatedUser user = site.state().user(accountId).filter(EmulatedUser::active)
                .filter(candidate -> !candidate.accountId().equals(site.appAccountId()))
                .orElseThrow(() -> JiraRequestException.badRequest("No active person with account " + accountId));
        exchange.getResponseHeaders().add("Set-Cookie", sessions.signIn(user.accountId()));
        redirect(exchange, returnPath);
    }

    private void projectPage(HttpExchange exchange, EmulatedUser me, String projectKey) throws IOException {
        EmulatedProject project = site.state().requireProject(projectKey);
        Optional<EmulatedIssue> newest = site.issues(project.key()).stream()
                .max((a, b) -> a.created().compareTo(b.created()));
        if (newest.isPresent()) {
            redirect(exchange, "/browse/" + newest.get().key());
        } else {
            sendHtml(exchange, 200, views.message(me, project.name(), "This project has no issues yet. Use Create."));
        }
    }

    private void settings(HttpExchange exchange, EmulatedUser me, String projectKey, String moduleKey,
                          String returnPath) throws IOException {
        EmulatedProject project = site.state().requireProject(projectKey);
        if (!site.permissions().hasProjectPermission(me, "ADMINISTER_PROJECTS", project)) {
            sendHtml(exchange, 403, views.message(me, "You don't have access to this page",
                    "Only administrators of " + project.name() + " can change its settings."));
            return;
        }
        Optional<InstalledApp.PageModule> module = Optional.empty();
        if (moduleKey != null) {
            module = site.installedApp().flatMap(app -> app.pageModule(HostPageViews.PROJECT_ADMIN_TABS, moduleKey));
            if (module.isEmpty()) {
                throw JiraRequestException.notFound("No app page " + moduleKey + " is installed.");
            }
        }
        sendHtml(exchange, 200, views.projectSettings(me, project, module, returnPath));
    }

    /** The Create dialog's form: creates the issue as the signed-in person (a normal creation: webhook and all). */
    private void createIssue(HttpExchange exchange, EmulatedUser me) throws IOException {
        Map<String, List<String>> form = SiteRestApi.params(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        EmulatedProject project = site.state().requireProject(Optional.ofNullable(first(form, "project")).orElse(""));
        String issueType = first(form, "issuetype");
        if (!project.issueTypes().contains(issueType)) {
            throw JiraRequestException.fieldError("issuetype", "Specify a valid issue type");
        }
        String summary = Optional.ofNullable(first(form, "summary")).orElse("").strip();
        if (summary.isEmpty()) {
            throw JiraRequestException.fieldError("summary", "You must specify a summary of the issue.");
        }
        String priority = first(form, "priority");
        EmulatedIssue created = site.state().createIssue(project.key(), issueType, summary,
                adf(Optional.ofNullable(first(form, "description")).orElse("")), List.of(), List.of(),
                priority == null || priority.isEmpty() ? "Medium" : priority, null, me.accountId());
        exchange.getResponseHeaders().add("Location", "/browse/" + created.key());
        exchange.sendResponseHeaders(303, -1);
    }

    /**
     * The token {@code AP.context.getToken()} resolves to, for the iframe showing this issue (or project): asked by
     * the host script, so the signed-in person is the token's {@code sub} and the iframe cannot choose its context.
     */
    private void contextToken(HttpExchange exchange, EmulatedUser me) throws IOException {
        JsonNode request = SiteRestApi.readJson(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        if (site.installedApp().isEmpty()) {
            throw JiraRequestException.notFound("The app is not installed");
        }
        Map<String, Object> jira = new LinkedHashMap<>();
        String projectKey = request.path("projectKey").asText(null);
        if (request.hasNonNull("issueKey")) {
            EmulatedIssue issue = site.state().requireIssue(request.get("issueKey").asText());
            if (projectKey != null && !projectKey.equals(issue.projectKey())) {
                throw JiraRequestException.badRequest("The issue is not in project " + projectKey);
            }
            projectKey = issue.projectKey();
            jira.put("issue", Map.of("id", String.valueOf(issue.id()), "key", issue.key()));
        }
        if (projectKey != null) {
            EmulatedProject project = site.state().requireProject(projectKey);
            jira.put("project", Map.of("id", String.valueOf(project.id()), "key", project.key()));
        }
        ObjectNode body = JiraJson.MAPPER.createObjectNode()
                .put("token", site.contextToken(me.accountId(), Map.of("jira", jira)));
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        sendJson(exchange, 200, body);
    }

    /** Plain text as an ADF document: blank lines separate paragraphs, single line breaks stay. */
    static JsonNode adf(String text) {
        String normalized = text.replace("\r\n", "\n").strip();
        if (normalized.isEmpty()) {
            return null;
        }
        ObjectNode doc = JiraJson.MAPPER.createObjectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String paragraph : normalized.split("\n\\s*\n")) {
            ArrayNode inline = content.addObject().put("type", "paragraph").putArray("content");
            String[] lines = paragraph.strip().split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[i].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[i]);
                }
            }
        }
        return doc;
    }

    /** Only a path on this site: an absolute or protocol-relative URL would make the sign-in an open redirect. */
    static String safeReturnPath(String requested) {
        if (requested == null || !requested.startsWith("/") || requested.startsWith("//")
                || requested.startsWith("/\\")) {
            return "/";
        }
        return requested;
    }

    private static String pathAndQuery(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.getOrDefault(name, new ArrayList<>());
        return values.isEmpty() ? null : values.get(0);
    }

    private void sendHtml(HttpExchange exchange, int status, Html page) throws IOException {
        Optional<String> appOrigin = site.installedApp().map(InstalledApp::origin);
        // The pages' own scripts and styles only: even markup that slipped past escaping could not run. Frames and
        // images (module icons) may also come from the installed app.
        exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                + "style-src 'self'; img-src 'self' data:" + appOrigin.map(origin -> " " + origin).orElse("")
                + "; frame-src " + appOrigin.orElse("'none'")
                + "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
        send(exchange, status, "text/html; charset=utf-8", page.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void sendResource(HttpExchange exchange, String resource) throws IOException {
        String type = resource.endsWith(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8";
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        send(exchange, 200, type, Html.resource(resource).getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json;charset=UTF-8", JiraJson.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private static ObjectNode error(String message) {
        ObjectNode error = JiraJson.MAPPER.createObjectNode();
        error.putArray("errorMessages").add(message);
        return error;
    }
}
