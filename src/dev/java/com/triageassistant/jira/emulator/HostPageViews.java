package com.triageassistant.jira.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders a site's pages from its state, in the look of Jira Cloud (templates in
 * {@code src/dev/resources/jira-emulator/pages/}, styles in {@code host.css}). The app's iframes come from the
 * modules of the descriptor it served at install, signed for the person viewing.
 */
final class HostPageViews {

    static final String ISSUE_CONTEXTS = "jiraIssueContexts";
    static final String PROJECT_ADMIN_TABS = "jiraProjectAdminTabPanels";

    private static final int RECENT_ISSUES = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** Jira's lozenge appearances; anything else is shown as the default (grey) one. */
    private static final Set<String> LOZENGE_TYPES = Set.of("default", "inprogress", "moved", "new", "removed",
            "success");
    /** Permissions Jira gives an app's iframe: scripts, forms and pop-ups, but no navigation of Jira's page. */
    private static final String IFRAME_SANDBOX = "allow-downloads allow-forms allow-modals allow-popups "
            + "allow-popups-to-escape-sandbox allow-same-origin allow-scripts "
            + "allow-top-navigation-by-user-activation";

    private final EmulatedSite site;

    HostPageViews(EmulatedSite site) {
        this.site = site;
    }

    // ---- pages ----

    Html issue(EmulatedUser viewer, EmulatedIssue issue, String returnPath) {
        EmulatedProject project = site.state().requireProject(issue.projectKey());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("projectName", project.name());
        values.put("projectKey", project.key());
        values.put("issueKey", issue.key());
        values.put("issueType", issue.issueType());
        values.put("summary", issue.summary());
        values.put("description", issue.description() == null || issue.description().isNull()
                ? Html.literal("<p class=\"placeholder\">Add a description...</p>") : AdfHtml.render(issue.description()));
        values.put("recentIssues", recentIssues(project, issue.key()));
        values.put("assignee", person(issue.assignee(), "Unassigned"));
        values.put("reporter", person(issue.reporter(), "Anonymous"));
        values.put("priority", Html.fill("<span class=\"priority priority-{{css}}\"></span>{{name}}",
                Map.of("css", issue.priority().toLowerCase(Locale.ROOT), "name", issue.priority())));
        values.put("labels", tags(issue.labels()));
        values.put("components", tags(issue.components()));
        values.put("created", WHEN.format(issue.created()));
        values.put("updated", WHEN.format(issue.updated()));
        values.put("glances", glances(viewer, issue, project));
        return layout(issue.key() + " " + issue.summary(), viewer, returnPath, project,
                Html.page("issue.html", values));
    }

    Html projectSettings(EmulatedUser viewer, EmulatedProject project, Optional<InstalledApp.PageModule> selected,
                         String returnPath) {
        Optional<InstalledApp> app = site.installedApp();
        List<Html> appLinks = new ArrayList<>();
        app.ifPresent(installed -> installed.pageModules(PROJECT_ADMIN_TABS).forEach(module -> appLinks.add(
                Html.fill("<li><a class=\"{{css}}\" href=\"{{href}}\">{{name}}</a></li>", Map.of(
                        "css", selected.map(s -> s.key().equals(module.key())).orElse(false) ? "selected" : "",
                        "href", "/plugins/servlet/project-config/" + project.key() + "/apps/" + encode(module.key()),
                        "name", module.name())))));
        Html main;
        String title;
        if (selected.isPresent()) {
            InstalledApp.PageModule module = selected.get();
            title = module.name();
            main = iframe(app.orElseThrow(), module, projectContext(project), viewer, "ap-iframe ap-admin-page",
                    Map.of("project-key", project.key(), "project-id", String.valueOf(project.id())));
        } else {
            title = "Details";
            main = Html.fill("<dl class=\"project-details\"><dt>Name</dt><dd>{{name}}</dd><dt>Key</dt>"
                    + "<dd>{{key}}</dd><dt>Components</dt><dd>{{components}}</dd></dl>", Map.of("name", project.name(),
                    "key", project.key(), "components", String.join(", ", project.components())));
        }
        return layout("Project settings - " + project.name(), viewer, returnPath, project,
                Html.page("project-settings.html", Map.of("projectName", project.name(), "projectKey", project.key(),
                        "title", title, "appLinks", appLinks.isEmpty()
                                ? Html.literal("<li class=\"placeholder\">No apps</li>") : Html.join(appLinks),
                        "detailsCss", selected.isEmpty() ? "selected" : "", "main", main)));
    }

    Html index(EmulatedUser viewer) {
        List<Html> rows = new ArrayList<>();
        for (EmulatedProject project : site.state().projects()) {
            List<EmulatedIssue> newest = newest(project, 5);
            List<Html> links = new ArrayList<>();
            newest.forEach(issue -> links.add(issueItem(issue, false)));
            boolean admin = site.permissions().hasProjectPermission(viewer, "ADMINISTER_PROJECTS", project);
            rows.add(Html.fill("<tr><td><span class=\"project-avatar\">{{initial}}</span><strong>{{name}}</strong>"
                    + "</td><td>{{key}}</td><td>{{count}}</td><td><ul class=\"issue-list compact\">{{issues}}</ul></td>"
                    + "<td>{{settings}}</td></tr>", Map.of("initial", project.name().substring(0, 1), "name",
                    project.name(), "key", project.key(), "count", site.issues(project.key()).size(), "issues",
                    Html.join(links), "settings", admin ? Html.fill("<a href=\"{{href}}\">Project settings</a>",
                            Map.of("href", "/plugins/servlet/project-config/" + project.key())) : Html.EMPTY)));
        }
        return layout("Projects", viewer, "/", null, Html.page("index.html", Map.of("siteName", site.name(),
                "rows", Html.join(rows))));
    }

    /** The sandbox's sign-in: pick who to be. Not a Jira page; Jira's login is not emulated. */
    Html signIn(String returnPath) {
        List<Html> people = new ArrayList<>();
        for (EmulatedUser user : selectableUsers()) {
            people.add(Html.fill("<li><a class=\"person-choice\" href=\"{{href}}\"><img class=\"avatar\" src=\"{{avatar}}\" "
                    + "alt=\"\"><span>{{name}}</span>{{badge}}</a></li>", Map.of(
                    "href", "/sandbox/login?accountId=" + encode(user.accountId()) + "&return=" + encode(returnPath),
                    "avatar", site.json().avatarUrl(user.accountId()), "name", user.displayName(),
                    "badge", adminBadge(user))));
        }
        return Html.page("sign-in.html", Map.of("siteName", site.name(), "people", Html.join(people)));
    }

    Html message(EmulatedUser viewer, String title, String text) {
        Html content = Html.fill("<section class=\"message-page\"><h1>{{title}}</h1><p>{{text}}</p>"
                + "<p><a href=\"/\">Back to projects</a></p></section>", Map.of("title", title, "text", text));
        return viewer == null ? Html.page("bare.html", Map.of("title", title, "content", content))
                : layout(title, viewer, "/", null, content);
    }

    // ---- the app's iframes ----

    private Html glances(EmulatedUser viewer, EmulatedIssue issue, EmulatedProject project) {
        Optional<InstalledApp> app = site.installedApp();
        if (app.isEmpty()) {
            return Html.EMPTY;
        }
        List<Html> panels = new ArrayList<>();
        for (InstalledApp.PageModule module : app.get().pageModules(ISSUE_CONTEXTS)) {
            Map<String, String> context = projectContext(project);
            context.put("issue.id", String.valueOf(issue.id()));
            context.put("issue.key", issue.key());
            context.put("issuetype.id", String.valueOf(project.issueTypeId(issue.issueType())));
            Html frame = iframe(app.get(), module, context, viewer, "ap-iframe ap-glance", Map.of(
                    "issue-key", issue.key(), "issue-id", String.valueOf(issue.id()), "project-key", project.key(),
                    "project-id", String.valueOf(project.id())));
            panels.add(Html.page("glance.html", Map.of("moduleKey", module.key(), "name", module.name(),
                    "icon", module.iconUrl() == null ? Html.EMPTY : Html.fill(
                            "<img class=\"glance-icon\" src=\"{{src}}\" alt=\"\">", Map.of("src", module.iconUrl())),
                    "lozenge", statusLozenge(app.get(), module, issue), "iframe", frame)));
        }
        return Html.join(panels);
    }

    /** The glance's status, from the issue property {@code com.atlassian.jira.issue:<app>:<module>:status}. */
    private Html statusLozenge(InstalledApp app, InstalledApp.PageModule module, EmulatedIssue issue) {
        String property = "com.atlassian.jira.issue:" + app.key() + ":" + module.key() + ":status";
        Optional<JsonNode> status = site.state().issueProperty(issue.key(), property);
        if (status.isEmpty() || !"lozenge".equals(status.get().path("type").asText())) {
            return Html.EMPTY;
        }
        JsonNode value = status.get().path("value");
        String type = value.path("type").asText("default");
        return Html.fill("<span class=\"lozenge lozenge-{{type}} glance-status\" title=\"{{label}}\">{{label}}</span>",
                Map.of("type", LOZENGE_TYPES.contains(type) ? type : "default", "label", value.path("label").asText()));
    }

    private Html iframe(InstalledApp app, InstalledApp.PageModule module, Map<String, String> context,
                        EmulatedUser viewer, String css, Map<String, String> data) {
        String src = ConnectIframe.url(site.baseUrl(), site.clientKey(), site.sharedSecret(), app, module, context,
                viewer.accountId());
        StringBuilder attributes = new StringBuilder();
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> entry : data.entrySet()) {
            // Names come from this class; values are escaped like any other.
            attributes.append(" data-").append(entry.getKey()).append("=\"{{v").append(i).append("}}\"");
            values.put("v" + i++, entry.getValue());
        }
        values.put("css", css);
        values.put("id", "ap-" + app.key() + "__" + module.key());
        values.put("title", module.name());
        values.put("src", src);
        values.put("origin", app.origin());
        values.put("appKey", app.key());
        values.put("moduleKey", module.key());
        values.put("sandbox", IFRAME_SANDBOX);
        return Html.fill("<iframe class=\"{{css}}\" id=\"{{id}}\" title=\"{{title}}\" src=\"{{src}}\" "
                + "data-app-origin=\"{{origin}}\" data-app-key=\"{{appKey}}\" data-module-key=\"{{moduleKey}}\""
                + attributes + " sandbox=\"{{sandbox}}\"></iframe>", values);
    }

    private static Map<String, String> projectContext(EmulatedProject project) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("project.id", String.valueOf(project.id()));
        context.put("project.key", project.key());
        return context;
    }

    // ---- parts ----

    private Html layout(String title, EmulatedUser viewer, String returnPath, EmulatedProject project, Html content) {
        List<Html> options = new ArrayList<>();
        for (EmulatedUser user : selectableUsers()) {
            options.add(Html.fill("<option value=\"{{id}}\"{{selected}}>{{name}}{{admin}}</option>", Map.of(
                    "id", user.accountId(), "selected", user.accountId().equals(viewer.accountId())
                            ? Html.literal(" selected") : Html.EMPTY, "name", user.displayName(),
                    "admin", adminOf(user).isEmpty() ? "" : " (admin: " + String.join(", ", adminOf(user)) + ")")));
        }
        return Html.page("layout.html", Map.of("title", title, "siteName", site.name(),
                "avatar", site.json().avatarUrl(viewer.accountId()), "userOptions", Html.join(options),
                "returnPath", returnPath, "content", content, "createDialog", createDialog(project)));
    }

    private Html createDialog(EmulatedProject current) {
        List<EmulatedProject> projects = site.state().projects();
        if (projects.isEmpty()) {
            return Html.EMPTY;
        }
        EmulatedProject selected = current != null ? current : projects.get(0);
        List<Html> projectOptions = new ArrayList<>();
        projects.forEach(project -> projectOptions.add(option(project.key(), project.name() + " (" + project.key()
                + ")", project.key().equals(selected.key()))));
        List<Html> types = new ArrayList<>();
        selected.issueTypes().forEach(type -> types.add(option(type, type, false)));
        List<Html> priorities = new ArrayList<>();
        priorities.add(option("", "Default (Medium)", true));
        SiteState.PRIORITIES.forEach(priority -> priorities.add(option(priority, priority, false)));
        return Html.page("create-issue.html", Map.of("projects", Html.join(projectOptions),
                "issueTypes", Html.join(types), "priorities", Html.join(priorities)));
    }

    private static Html option(String value, String label, boolean selected) {
        return Html.fill("<option value=\"{{value}}\"{{selected}}>{{label}}</option>", Map.of("value", value,
                "selected", selected ? Html.literal(" selected") : Html.EMPTY, "label", label));
    }

    private Html recentIssues(EmulatedProject project, String current) {
        List<Html> items = new ArrayList<>();
        for (EmulatedIssue issue : newest(project, RECENT_ISSUES)) {
            items.add(issueItem(issue, issue.key().equals(current)));
        }
        return Html.join(items);
    }

    private static Html issueItem(EmulatedIssue issue, boolean current) {
        return Html.fill("<li{{css}}><a href=\"/browse/{{key}}\"><span class=\"issue-key\">{{key}}</span> {{summary}}"
                + "</a></li>", Map.of("css", current ? Html.literal(" class=\"current\"") : Html.EMPTY,
                "key", issue.key(), "summary", issue.summary()));
    }

    private List<EmulatedIssue> newest(EmulatedProject project, int count) {
        return site.issues(project.key()).stream()
                .sorted(Comparator.comparing(EmulatedIssue::created).thenComparing(EmulatedIssue::id).reversed())
                .limit(count).toList();
    }

    private Html person(String accountId, String nobody) {
        if (accountId == null) {
            return Html.fill("<span class=\"person none\">{{nobody}}</span>", Map.of("nobody", nobody));
        }
        String name = site.state().user(accountId).map(EmulatedUser::displayName).orElse(accountId);
        return Html.fill("<span class=\"person\"><img class=\"avatar small\" src=\"{{avatar}}\" alt=\"\">"
                + "<span class=\"person-name\">{{name}}</span></span>", Map.of("avatar",
                site.json().avatarUrl(accountId), "name", name));
    }

    private static Html tags(List<String> values) {
        if (values.isEmpty()) {
            return Html.literal("<span class=\"none\">None</span>");
        }
        List<Html> tags = new ArrayList<>();
        values.forEach(value -> tags.add(Html.fill("<span class=\"tag\">{{value}}</span>", Map.of("value", value))));
        return Html.join(tags);
    }

    /** Everyone who can sign in (active people, not the app's own account): project admins first, then by name. */
    private List<EmulatedUser> selectableUsers() {
        return site.users().stream().filter(EmulatedUser::active)
                .filter(user -> !user.accountId().equals(site.appAccountId()))
                .sorted(Comparator.comparing((EmulatedUser user) -> adminOf(user).isEmpty())
                        .thenComparing(EmulatedUser::displayName))
                .toList();
    }

    private List<String> adminOf(EmulatedUser user) {
        return site.state().projects().stream().filter(project -> project.admins().contains(user.accountId()))
                .map(EmulatedProject::key).toList();
    }

    private Html adminBadge(EmulatedUser user) {
        List<String> projects = adminOf(user);
        return projects.isEmpty() ? Html.EMPTY : Html.fill("<span class=\"lozenge lozenge-new\">Admin: {{keys}}</span>",
                Map.of("keys", String.join(", ", projects)));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
