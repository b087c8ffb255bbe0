package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.jira.generator.GeneratedUser;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's REST API v3 as an app sees it. */
class EmulatorRestTest {

    static final int ISSUES = 237;

    static JiraEmulator jira;
    static RecordingApp recordingApp;
    static EmulatedSite site;
    static AppClient app;
    static EmulatedUser alice;
    static EmulatedUser bob;
    static EmulatedUser gone;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        recordingApp = new RecordingApp();
        site = jira.createSite("rest");
        site.createProject("ACME", "Acme", List.of("Bug", "Task"), List.of("api", "ui"));
        site.createProject("OTHER", "Other", List.of("Bug"), List.of("core"));
        alice = site.createUser("Alice Doe");
        bob = site.createUser("Bob Roe");
        gone = site.createUser("Gone Person");
        site.makeAssignable("ACME", alice.accountId(), bob.accountId(), gone.accountId());
        site.makeProjectAdmin("ACME", alice.accountId());
        site.deactivateUser(gone.accountId());
        for (int i = 0; i < ISSUES; i++) {
            site.createIssue(i % 10 == 0 ? "OTHER" : "ACME", "Bug", "Issue number " + i, adf("Body " + i),
                    List.of(), i % 3 == 0 ? List.of("backend") : List.of(), "Medium", null, bob.accountId());
        }
        assertThat(site.install(recordingApp.url())).isEqualTo(204);
        app = new AppClient(site, RecordingApp.KEY);
    }

    @AfterAll
    static void stop() {
        jira.close();
        recordingApp.close();
    }

    static ObjectNode adf(String text) {
        ObjectNode doc = JiraJson.MAPPER.createObjectNode().put("type", "doc").put("version", 1);
        doc.putArray("content").addObject().put("type", "paragraph").putArray("content").addObject()
                .put("type", "text").put("text", text);
        return doc;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 50, 100})
    void pagingVisitsEveryIssueOnceForAnyPageSize(int pageSize) {
        for (String order : List.of("", " ORDER BY updated ASC", " ORDER BY key DESC", " ORDER BY created DESC, key ASC")) {
            List<String> keys = searchAll("project = ACME" + order, pageSize);
            assertThat(keys).as(order).doesNotHaveDuplicates()
                    .hasSize(site.issues("ACME").size())
                    .containsExactlyInAnyOrderElementsOf(site.issues("ACME").stream().map(EmulatedIssue::key).toList());
        }
    }

    @Test
    void generatedProjectsLoadSideBySideAndServeTheirHistory() {
        EmulatedSite loaded = jira.createSite("generated");
        var first = new ProjectGenerator(GeneratorConfig.defaults(3, "GENA").withIssueCount(300)).generate();
        var second = new ProjectGenerator(GeneratorConfig.defaults(4, "GENB").withIssueCount(200)).generate();
        loaded.load(first);
        loaded.load(second);
        assertThat(loaded.install(recordingApp.url())).isEqualTo(204);
        AppClient client = new AppClient(loaded, RecordingApp.KEY);

        JsonNode issue = client.getJson("/rest/api/3/issue/GENA-17");
        var expected = first.issues().get(16);
        assertThat(issue.at("/fields/summary").asText()).isEqualTo(expected.summary());
        assertThat(issue.at("/fields/description")).isEqualTo(expected.description());
        assertThat(issue.at("/fields/priority/name").asText()).isEqualTo(expected.priority());
        assertThat(loaded.issues("GENA")).hasSize(300);
        assertThat(loaded.issues("GENB")).hasSize(200);
        Set<String> assignable = new HashSet<>();
        client.getJson("/rest/api/3/user/assignable/search?project=GENA&maxResults=1000")
                .forEach(user -> assignable.add(user.path("accountId").asText()));
        assertThat(assignable).containsExactlyInAnyOrderElementsOf(first.users().stream()
                .filter(GeneratedUser::assignableNow).map(GeneratedUser::accountId).toList());
    }

    @Test
    void searchOrdersAsAsked() {
        List<String> keys = searchAll("project = ACME ORDER BY key DESC", 50);
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> Jql.keyOrder(b, a));
        assertThat(keys).isEqualTo(sorted);
    }

    @Test
    void searchReturnsOnlyIdsUnlessFieldsAreNamed() {
        JsonNode idsOnly = app.getJson("/rest/api/3/search/jql?jql=" + encode("project = ACME") + "&maxResults=5");
        assertThat(idsOnly.path("issues").get(0).has("fields")).isFalse();
        assertThat(idsOnly.path("issues").get(0).path("id").asText()).isNotEmpty();

        JsonNode some = app.getJson("/rest/api/3/search/jql?jql=" + encode("project = ACME")
                + "&maxResults=5&fields=summary,labels");
        JsonNode fields = some.path("issues").get(0).path("fields");
        assertThat(fields.has("summary")).isTrue();
        assertThat(fields.has("labels")).isTrue();
        assertThat(fields.has("description")).isFalse();
    }

    @Test
    void searchCapsPageSizeWhenFieldsAreRequested() {
        JsonNode page = app.getJson("/rest/api/3/search/jql?jql=" + encode("project = ACME")
                + "&maxResults=1000&fields=summary");
        assertThat(page.path("issues")).hasSize(100);
        assertThat(page.path("isLast").asBoolean()).isFalse();
    }

    @Test
    void postSearchPagesLikeGet() {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            ObjectNode body = JiraJson.MAPPER.createObjectNode().put("jql", "project = ACME").put("maxResults", 40);
            body.putArray("fields").add("summary");
            if (token != null) {
                body.put("nextPageToken", token);
            }
            var response = app.post("/rest/api/3/search/jql", body.toString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = AppClient.json(response.body());
            page.path("issues").forEach(issue -> keys.add(issue.path("key").asText()));
            token = page.path("nextPageToken").asText(null);
        } while (token != null);
        assertThat(keys).doesNotHaveDuplicates().hasSize(site.issues("ACME").size());
    }

    @Test
    void unboundedOrMalformedJqlAndForeignTokensAre400() {
        assertThat(app.get("/rest/api/3/search/jql?jql=" + encode("ORDER BY created DESC")).statusCode())
                .isEqualTo(400);
        assertThat(app.get("/rest/api/3/search/jql").statusCode()).isEqualTo(400);
        assertThat(app.get("/rest/api/3/search/jql?jql=" + encode("project = ACME AND")).statusCode())
                .isEqualTo(400);
        assertThat(app.get("/rest/api/3/search/jql?jql=" + encode("nonsense ~ 3")).statusCode()).isEqualTo(400);
        String token = app.getJson("/rest/api/3/search/jql?jql=" + encode("project = ACME") + "&maxResults=5")
                .path("nextPageToken").asText();
        assertThat(app.get("/rest/api/3/search/jql?jql=" + encode("project = OTHER") + "&nextPageToken=" + token)
                .statusCode()).isEqualTo(400);
        assertThat(app.get("/rest/api/3/search/jql?jql=" + encode("project = ACME") + "&nextPageToken=garbage")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void updatedClauseComparesAtMinutePrecision() {
        EmulatedIssue issue = site.issues("ACME").get(0);
        String minute = JiraJson.TIME.format(issue.updated()).substring(0, 16).replace('T', ' ');
        List<String> keys = searchAll("project = ACME AND updated >= \"" + minute + "\"", 100);
        assertThat(keys).contains(issue.key());
    }

    @Test
    void getIssueCarriesAdfAndAllFields() {
        EmulatedIssue issue = site.issues("ACME").get(3);
        JsonNode json = app.getJson("/rest/api/3/issue/" + issue.key());
        assertThat(json.path("key").asText()).isEqualTo(issue.key());
        assertThat(json.path("fields").path("description").path("type").asText()).isEqualTo("doc");
        assertThat(json.path("fields").path("reporter").path("accountId").asText()).isEqualTo(bob.accountId());
        assertThat(json.path("fields").path("priority").path("name").asText()).isEqualTo("Medium");
        assertThat(json.path("fields").path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(app.get("/rest/api/3/issue/ACME-99999").statusCode()).isEqualTo(404);
    }

    @Test
    void putChangesFieldsAndLabelsAndIsRecorded() {
        EmulatedIssue issue = site.createIssue("ACME", "Task", "Put me", adf("x"), List.of(), List.of("old"),
                "Medium", null, bob.accountId());

        var response = app.put("/rest/api/3/issue/" + issue.key(), "{\"fields\":{\"assignee\":{\"accountId\":\""
                + alice.accountId() + "\"},\"priority\":{\"id\":\"2\"}},"
                + "\"update\":{\"labels\":[{\"add\":\"new\"},{\"remove\":\"old\"}]}}");

        assertThat(response.statusCode()).isEqualTo(204);
        EmulatedIssue after = site.issue(issue.key()).orElseThrow();
        assertThat(after.assignee()).isEqualTo(alice.accountId());
        assertThat(after.priority()).isEqualTo("High");
        assertThat(after.labels()).containsExactly("new");
        assertThat(after.updated()).isAfter(issue.updated());
        assertThat(site.appRequests()).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.path()).isEqualTo("/rest/api/3/issue/" + issue.key());
            assertThat(request.status()).isEqualTo(204);
        });
    }

    @Test
    void putRefusesWhatJiraRefuses() {
        String key = site.issues("ACME").get(1).key();
        assertThat(app.put("/rest/api/3/issue/" + key, "{\"fields\":{\"assignee\":{\"accountId\":\""
                + gone.accountId() + "\"}}}").statusCode()).as("left the company").isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/" + key, "{\"fields\":{\"labels\":[\"has space\"]}}").statusCode())
                .isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/" + key, "{\"fields\":{\"description\":\"plain text\"}}").statusCode())
                .as("v3 wants ADF").isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/" + key, "{\"fields\":{\"priority\":{\"id\":\"42\"}}}").statusCode())
                .isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/" + key, "{\"fields\":{\"votes\":3}}").statusCode()).isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/" + key, "{not json").statusCode()).isEqualTo(400);
    }

    @Test
    void assignableUsersPrioritiesProjectsAndPermissions() {
        JsonNode assignable = app.getJson("/rest/api/3/user/assignable/search?project=ACME");
        Set<String> ids = new HashSet<>();
        assignable.forEach(user -> ids.add(user.path("accountId").asText()));
        assertThat(ids).containsExactlyInAnyOrder(alice.accountId(), bob.accountId());

        JsonNode priorities = app.getJson("/rest/api/3/priority");
        assertThat(priorities).hasSize(5);
        assertThat(priorities.get(2).path("name").asText()).isEqualTo("Medium");

        assertThat(app.getJson("/rest/api/3/project/ACME").path("name").asText()).isEqualTo("Acme");
        assertThat(app.getJson("/rest/api/3/project/search").path("values")).hasSize(2);

        String path = "/rest/api/3/mypermissions?projectKey=ACME&permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS";
        JsonNode asAlice = AppClient.json(app.send("GET", path, null, app.token("GET", path, alice.accountId())).body());
        JsonNode asBob = AppClient.json(app.send("GET", path, null, app.token("GET", path, bob.accountId())).body());
        JsonNode asApp = app.getJson(path);
        assertThat(asAlice.at("/permissions/ADMINISTER_PROJECTS/havePermission").asBoolean()).isTrue();
        assertThat(asBob.at("/permissions/ADMINISTER_PROJECTS/havePermission").asBoolean()).isFalse();
        assertThat(asBob.at("/permissions/BROWSE_PROJECTS/havePermission").asBoolean()).isTrue();
        assertThat(asApp.at("/permissions/ADMINISTER_PROJECTS/havePermission").asBoolean()).isFalse();
        assertThat(app.get("/rest/api/3/mypermissions").statusCode()).isEqualTo(400);
    }

    @Test
    void putTakesComponentsByNameOrIdAndPriorityByName() {
        EmulatedIssue issue = site.createIssue("ACME", "Task", "Components", adf("x"), List.of(), List.of(),
                "Medium", null, bob.accountId());
        String uiId = app.getJson("/rest/api/3/issue/" + site.issues("ACME").get(0).key()).path("fields")
                .path("project").path("id").asText() + "002";

        assertThat(app.put("/rest/api/3/issue/" + issue.key(), "{\"fields\":{\"components\":[{\"name\":\"api\"},"
                + "{\"id\":\"" + uiId + "\"}],\"priority\":{\"name\":\"Low\"}}}").statusCode()).isEqualTo(204);
        assertThat(app.put("/rest/api/3/issue/" + issue.key(), "{\"fields\":{\"components\":[{\"id\":\"1\"}]}}")
                .statusCode()).isEqualTo(400);

        EmulatedIssue after = site.issue(issue.key()).orElseThrow();
        assertThat(after.components()).containsExactly("api", "ui");
        assertThat(after.priority()).isEqualTo("Low");
    }

    @Test
    void issueEntityPropertiesAreSetReadListedAndDeletedPerIssue() {
        String key = site.issues("ACME").get(5).key();
        String other = site.issues("ACME").get(6).key();
        String path = "/rest/api/3/issue/" + key + "/properties/com.example:status";
        String lozenge = "{\"type\":\"lozenge\",\"value\":{\"label\":\"3 suggestions\",\"type\":\"new\"}}";

        assertThat(app.put(path, lozenge).statusCode()).as("created").isEqualTo(201);
        assertThat(app.put(path, lozenge).statusCode()).as("replaced").isEqualTo(200);
        assertThat(app.put("/rest/api/3/issue/" + key + "/properties/other", "42").statusCode()).isEqualTo(201);

        JsonNode read = app.getJson(path);
        assertThat(read.path("key").asText()).isEqualTo("com.example:status");
        assertThat(read.path("value").path("value").path("label").asText()).isEqualTo("3 suggestions");
        assertThat(site.issueProperty(key, "com.example:status")).contains(AppClient.json(lozenge));
        JsonNode keys = app.getJson("/rest/api/3/issue/" + key + "/properties");
        assertThat(keys.path("keys")).extracting(entry -> entry.path("key").asText())
                .containsExactly("com.example:status", "other");
        assertThat(keys.path("keys").get(0).path("self").asText()).startsWith(site.baseUrl() + "/rest/api/3/issue/");
        assertThat(app.get("/rest/api/3/issue/" + other + "/properties/com.example:status").statusCode())
                .as("per issue").isEqualTo(404);

        assertThat(app.put(path, "{\"blob\":\"" + "x".repeat(33_000) + "\"}").statusCode()).as("over 32 KB")
                .isEqualTo(400);
        assertThat(app.put(path, "{not json").statusCode()).isEqualTo(400);
        assertThat(app.put("/rest/api/3/issue/ACME-99999/properties/x", "1").statusCode()).isEqualTo(404);

        assertThat(app.send("DELETE", path, null, app.token("DELETE", path, null)).statusCode()).isEqualTo(204);
        assertThat(app.get(path).statusCode()).isEqualTo(404);
        assertThat(app.send("DELETE", path, null, app.token("DELETE", path, null)).statusCode()).isEqualTo(404);
        assertThat(site.issueProperty(key, "com.example:status")).isEmpty();
    }

    @Test
    void bulkPermissionsNameTheProjectsAndIssuesAnAccountHasThemOn() {
        long acme = site.projects().get(0).id();
        long other = site.projects().get(1).id();
        long acmeIssue = site.issues("ACME").get(0).id();
        String request = "{\"accountId\":\"%s\",\"globalPermissions\":[\"USER_PICKER\",\"ADMINISTER\"],"
                + "\"projectPermissions\":[{\"permissions\":[\"ADMINISTER_PROJECTS\",\"BROWSE_PROJECTS\"],"
                + "\"projects\":[" + acme + "," + other + ",99999],\"issues\":[" + acmeIssue + "]}]}";

        JsonNode forAlice = AppClient.json(app.post("/rest/api/3/permissions/check",
                request.formatted(alice.accountId())).body());
        JsonNode forBob = AppClient.json(app.post("/rest/api/3/permissions/check",
                request.formatted(bob.accountId())).body());

        assertThat(forAlice.path("globalPermissions")).extracting(JsonNode::asText).containsExactly("USER_PICKER");
        assertThat(grant(forAlice, "ADMINISTER_PROJECTS", "projects")).containsExactly(acme);
        assertThat(grant(forAlice, "ADMINISTER_PROJECTS", "issues")).containsExactly(acmeIssue);
        assertThat(grant(forBob, "ADMINISTER_PROJECTS", "projects")).isEmpty();
        assertThat(grant(forBob, "BROWSE_PROJECTS", "projects")).containsExactly(acme, other);
        assertThat(grant(forBob, "BROWSE_PROJECTS", "issues")).containsExactly(acmeIssue);

        JsonNode forTheApp = AppClient.json(app.post("/rest/api/3/permissions/check",
                "{\"projectPermissions\":[{\"permissions\":[\"ADMINISTER_PROJECTS\"],\"projects\":[" + acme + "]}]}")
                .body());
        assertThat(grant(forTheApp, "ADMINISTER_PROJECTS", "projects")).as("the app's own account").isEmpty();
        assertThat(app.post("/rest/api/3/permissions/check", "{\"projectPermissions\":[{\"permissions\":"
                + "[\"NO_SUCH_PERMISSION\"],\"projects\":[" + acme + "]}]}").statusCode()).isEqualTo(400);
        assertThat(app.post("/rest/api/3/permissions/check", "{\"accountId\":\"nobody\"}").statusCode())
                .isEqualTo(400);
    }

    private static List<Long> grant(JsonNode answer, String permission, String field) {
        List<Long> ids = new ArrayList<>();
        answer.path("projectPermissions").forEach(grant -> {
            if (grant.path("permission").asText().equals(permission)) {
                grant.path(field).forEach(id -> ids.add(id.asLong()));
            }
        });
        return ids;
    }

    @Test
    void everyCallMustCarryTheAppsValidJwt() {
        String path = "/rest/api/3/priority";
        assertThat(app.send("GET", path, null, null).statusCode()).isEqualTo(401);
        assertThat(app.send("GET", path, null, ConnectJwts.hs256("wrong-secret-wrong-secret-wrong-secret",
                app.claims("GET", path).build())).statusCode()).isEqualTo(401);
        assertThat(app.send("GET", path, null, ConnectJwts.hs256(site.sharedSecret(),
                ConnectJwts.claims("someone-else", ConnectJwts.qsh("GET", path), Duration.ofMinutes(3)).build()))
                .statusCode()).as("issuer must be the app key").isEqualTo(401);
        assertThat(app.send("GET", path, null, app.token("GET", "/rest/api/3/project/search", null)).statusCode())
                .as("qsh of another request").isEqualTo(401);
        assertThat(app.send("GET", path, null, ConnectJwts.hs256(site.sharedSecret(), app.claims("GET", path)
                .issueTime(new Date(System.currentTimeMillis() - 600_000))
                .expirationTime(new Date(System.currentTimeMillis() - 300_000)).build())).statusCode())
                .as("expired").isEqualTo(401);
        String valid = app.token("GET", path, null);
        String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
        assertThat(app.send("GET", path, null, tampered).statusCode()).isEqualTo(401);
        assertThat(app.send("GET", path, null, valid).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsOnDemand() {
        site.faults().rateLimit("/rest/api/3/priority", 2, 7).serverError("/rest/api/3/project", 1, 503);

        var limited = app.get("/rest/api/3/priority");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        assertThat(limited.headers().firstValue("X-RateLimit-Reset")).isPresent();
        assertThat(app.get("/rest/api/3/priority").statusCode()).isEqualTo(429);
        assertThat(app.get("/rest/api/3/priority").statusCode()).isEqualTo(200);
        assertThat(app.get("/rest/api/3/project/ACME").statusCode()).isEqualTo(503);
        assertThat(app.get("/rest/api/3/project/ACME").statusCode()).isEqualTo(200);

        site.faults().slow("/rest/api/3/priority", 1, Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(app.get("/rest/api/3/priority").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    private static List<String> searchAll(String jql, int pageSize) {
        List<String> keys = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = app.getJson("/rest/api/3/search/jql?jql=" + encode(jql) + "&maxResults=" + pageSize
                    + "&fields=summary,updated" + (token == null ? "" : "&nextPageToken=" + token));
            page.path("issues").forEach(issue -> keys.add(issue.path("key").asText()));
            token = page.path("nextPageToken").asText(null);
            assertThat(++pages).isLessThanOrEqualTo(ISSUES + 1);
        } while (token != null);
        return keys;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
