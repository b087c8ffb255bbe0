package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.atlassian.connect.spring.internal.jwt.CanonicalHttpRequest;
import com.atlassian.connect.spring.internal.jwt.HttpRequestCanonicalizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.triageassistant.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The emulator's host pages and its Connect JavaScript shim, end to end in headless Chromium, with a stand-in app
 * instead of the real one: the iframe is signed as Jira signs it, AP calls act as the person signed in, resize and
 * flags reach the page, frames of other origins are ignored, and issue text never becomes markup.
 */
class EmulatorHostPageTest {

    static JiraEmulator jira;
    static IframeStandInApp app;
    static EmulatedSite site;
    static Browser browser;
    static EmulatedUser ada;
    static EmulatedUser max;
    static EmulatedIssue plain;
    static EmulatedIssue hostile;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = new IframeStandInApp();
        site = jira.createSite("host-pages");
        site.createProject("ACME", "Acme Web", List.of("Bug", "Task"), List.of("api", "ui"));
        ada = site.createUser("Ada Admin");
        max = site.createUser("Max Member");
        site.makeAssignable("ACME", ada.accountId(), max.accountId());
        site.makeProjectAdmin("ACME", ada.accountId());
        plain = site.createIssue("ACME", "Bug", "Login page times out", HostPages.adf("Steps:\nopen the page\n\nIt hangs."),
                List.of("ui"), List.of("login"), "High", null, ada.accountId());
        hostile = site.createIssue("ACME", "Bug", "<script>window.pwned = 1</script><b>bold?</b>",
                HostPages.adf("<img src=x onerror=\"window.pwned = 2\"> & more"), List.of(), List.of(), "Medium",
                null, max.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        jira.close();
        app.close();
    }

    @Test
    void theGlanceIframeUrlIsSignedLikeJiraForTheSignedInPerson() throws Exception {
        signIn(max, "/browse/" + plain.key());
        String src = glance().getAttribute("src");

        URI uri = URI.create(src);
        Map<String, String> params = query(uri.getRawQuery());
        assertThat(src).startsWith(app.url() + "/glance?issueKey=" + plain.key() + "&projectKey=ACME&issueId="
                + plain.id() + "&projectId=" + site.projects().get(0).id() + "&xdm_e=");
        assertThat(params).containsEntry("xdm_e", site.baseUrl()).containsEntry("lic", "none")
                .containsEntry("xdm_deprecated_addon_key_do_not_use", IframeStandInApp.KEY).containsKey("cv")
                .containsKey("cp").containsKey("xdm_c");
        JWTClaimsSet claims = verified(params.get("jwt"));
        assertThat(claims.getIssuer()).isEqualTo(site.clientKey());
        assertThat(claims.getSubject()).isEqualTo(max.accountId());
        assertThat(claims.getExpirationTime().toInstant()).isBetween(Instant.now(), Instant.now().plusSeconds(181));
        // The hash the app's framework (ACSB) computes for the request the browser made, jwt left out.
        assertThat(claims.getStringClaim("qsh")).isEqualTo(acsbQsh(uri.getRawPath(), params));
        await().untilAsserted(() -> assertThat(app.pageRequests()).contains(uri.getRawPath() + "?" + uri.getRawQuery()));
    }

    @Test
    void apCallsFromTheIframeActAsTheSignedInPerson() throws Exception {
        EmulatedIssue issue = site.createIssue("ACME", "Task", "Assign me through the glance", null, List.of(),
                List.of(), "Medium", null, ada.accountId());
        signIn(max, "/browse/" + issue.key());

        browser.inFrame(glance(), () -> {
            String token = (String) browser.asyncScript("AP.context.getToken().then(arguments[0])");
            JWTClaimsSet context = verified(token);
            assertThat(context.getSubject()).isEqualTo(max.accountId());
            assertThat(context.getIssuer()).isEqualTo(site.clientKey());
            assertThat(context.getClaim("qsh")).isEqualTo("context-qsh");
            assertThat(context.getExpirationTime().toInstant()).isAfter(Instant.now().plusSeconds(14 * 60));
            assertThat(contextClaim(context)).isEqualTo(Map.of("jira", Map.of(
                    "issue", Map.of("id", String.valueOf(issue.id()), "key", issue.key()),
                    "project", Map.of("id", String.valueOf(site.projects().get(0).id()), "key", "ACME"))));
            assertThat((String) browser.asyncScript("AP.context.getToken(arguments[0])")).as("callback form")
                    .contains(".");

            String body = (String) browser.asyncScript("var done = arguments[0];"
                    + "AP.request('/rest/api/3/issue/" + issue.key() + "').then(r => done(r.body), e => done('ERR ' + e.err))");
            assertThat(AppClient.json(body).path("key").asText()).isEqualTo(issue.key());

            Object status = browser.asyncScript("var done = arguments[1];"
                    + "AP.request({url: '/rest/api/3/issue/" + issue.key() + "', type: 'PUT', contentType: 'application/json',"
                    + " data: JSON.stringify({fields: {assignee: {accountId: arguments[0]}, priority: {name: 'High'}}}),"
                    + " success: function (body, statusText, xhr) { window.successStatus = xhr.status; }})"
                    + ".then(r => done(r.xhr.status), e => done('ERR ' + e.err))", max.accountId());
            assertThat(status).isEqualTo(204L);
            assertThat(browser.script("return window.successStatus")).isEqualTo(204L);

            String failure = (String) browser.asyncScript("var done = arguments[0]; var seen = [];"
                    + "AP.request({url: '/rest/api/3/issue/ACME-99999', error: function (xhr, s, err) { seen.push(xhr.status); }})"
                    + ".then(() => done('resolved'), e => done(e.xhr.status + ' ' + seen.join()))");
            assertThat(failure).isEqualTo("404 404");
            String foreign = (String) browser.asyncScript("var done = arguments[0];"
                    + "AP.request('" + app.url() + "/rest/api/3/issue/" + issue.key() + "').then(() => done('sent'), e => done(e.err))");
            assertThat(foreign).contains("relative /rest/ URL");
            return null;
        });

        EmulatedIssue after = site.issue(issue.key()).orElseThrow();
        assertThat(after.assignee()).isEqualTo(max.accountId());
        assertThat(after.priority()).isEqualTo("High");
        await().untilAsserted(() -> assertThat(app.webhooks()).anySatisfy(webhook -> {
            assertThat(webhook.path("webhookEvent").asText()).isEqualTo("jira:issue_updated");
            assertThat(webhook.path("issue").path("key").asText()).isEqualTo(issue.key());
            assertThat(webhook.path("user").path("accountId").asText()).as("Jira's history names the person")
                    .isEqualTo(max.accountId());
            assertThat(webhook.path("changelog").path("items")).extracting(item -> item.path("field").asText())
                    .contains("assignee", "priority");
        }));
    }

    @Test
    void resizeAndFlagsReachThePageAndForeignFramesAreIgnored() {
        signIn(ada, "/browse/" + plain.key());
        WebElement frame = glance();
        browser.waitUntil(() -> frame.getSize().getHeight() >= 400);

        browser.inFrame(frame, () -> browser.script("AP.resize('100%', '321px')"));
        browser.waitUntil(() -> frame.getSize().getHeight() == 321);

        browser.inFrame(frame, () -> {
            // The foreign frame may finish before the second script listens: its end is noted from the start.
            String token = (String) browser.asyncScript("var done = arguments[1];"
                    + "window.addEventListener('message', function (e) { if (e.data && e.data.foreignDone) {"
                    + "  window.foreignDone = true; } });"
                    + "window.addEventListener('message', function (e) { if (e.data && e.data.foreignStarted) {"
                    + "  AP.context.getToken().then(done, err => done('ERR ' + err)); } });"
                    + "var foreign = document.createElement('iframe'); foreign.src = arguments[0];"
                    + "document.body.appendChild(foreign);", app.foreignOrigin() + "/foreign");
            assertThat(token).as("a forged reply from another frame is not the host's").isNotEqualTo("forged");
            verified(token);
            browser.asyncScript("var done = arguments[0]; if (window.foreignDone) { done(); return; }"
                    + "window.addEventListener('message', function (e) { if (e.data && e.data.foreignDone) done(); });");
            return null;
        });
        assertThat(frame.getSize().getHeight()).as("the foreign frame's resize").isEqualTo(321);

        browser.inFrame(frame, () -> browser.script("window.savedFlag = AP.flag.create({title: 'Assignee applied',"
                + " body: '<b>Max Member</b> now owns it', type: 'success', close: 'manual'})"));
        WebElement flag = browser.waitFor(By.cssSelector("#ap-flags .flag.flag-success"));
        assertThat(flag.findElement(By.className("flag-title")).getText()).isEqualTo("Assignee applied");
        assertThat(flag.findElement(By.className("flag-body")).getText()).isEqualTo("<b>Max Member</b> now owns it");
        browser.screenshot("emulator-issue-view");

        browser.inFrame(frame, () -> browser.script("window.savedFlag.close()"));
        browser.waitUntil(() -> browser.driver().findElements(By.cssSelector("#ap-flags .flag")).isEmpty());
    }

    @Test
    void issueTextIsShownAsTextNeverAsMarkup() {
        signIn(max, "/browse/" + hostile.key());

        assertThat(browser.waitFor(By.id("summary")).getText()).isEqualTo(hostile.summary());
        assertThat(browser.find(By.id("description")).getText()).isEqualTo("<img src=x onerror=\"window.pwned = 2\"> & more");
        assertThat(browser.script("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.driver().findElements(By.cssSelector("#summary b, #description img"))).isEmpty();
    }

    @Test
    void thePageLooksLikeJiraAndTheGlanceCarriesItsStatusLozenge() {
        site.setIssueProperty(plain.key(), "com.atlassian.jira.issue:" + IframeStandInApp.KEY + ":"
                + IframeStandInApp.GLANCE + ":status", AppClient.json(
                "{\"type\":\"lozenge\",\"value\":{\"label\":\"2 suggestions\",\"type\":\"new\"}}"));
        signIn(max, "/browse/" + plain.key());

        assertThat(browser.waitFor(By.cssSelector(".glance .glance-title")).getText()).isEqualTo("Probe glance");
        WebElement lozenge = browser.find(By.cssSelector(".glance .glance-status"));
        assertThat(lozenge.getAttribute("textContent")).isEqualTo("2 suggestions");
        assertThat(lozenge.getAttribute("class")).contains("lozenge-new");
        assertThat(browser.find(By.cssSelector(".breadcrumbs")).getText()).contains("Acme Web", plain.key());
        assertThat(browser.find(By.id("field-priority")).getText()).isEqualTo("High");
        assertThat(browser.find(By.id("field-labels")).getText()).isEqualTo("login");
        assertThat(browser.find(By.id("field-reporter")).getText()).isEqualTo("Ada Admin");
        assertThat(browser.find(By.id("field-assignee")).getText()).isEqualTo("Unassigned");
        assertThat(browser.find(By.id("recent-issues")).getText()).contains(plain.key());
        assertThat(browser.find(By.tagName("body")).getCssValue("color")).isEqualTo("rgba(23, 43, 77, 1)");

        // The glance is collapsible.
        browser.find(By.cssSelector(".glance summary")).click();
        assertThat(glanceFrames()).allSatisfy(frame -> assertThat(frame.isDisplayed()).isFalse());
        browser.find(By.cssSelector(".glance summary")).click();
        assertThat(glance().isDisplayed()).isTrue();
    }

    @Test
    void theCreateDialogCreatesTheIssueAsTheSignedInPersonAndOpensIt() {
        signIn(max, "/browse/" + plain.key());
        browser.find(By.id("create-button")).click();
        new Select(browser.waitFor(By.id("create-issuetype"))).selectByVisibleText("Task");
        browser.find(By.id("create-summary")).sendKeys("Export to CSV drops the header row");
        browser.find(By.id("create-description")).sendKeys("Every export.\nSince Monday.");
        new Select(browser.find(By.id("create-priority"))).selectByVisibleText("Low");
        browser.find(By.id("create-submit")).click();

        browser.waitUntil(() -> browser.find(By.id("summary")).getText().equals("Export to CSV drops the header row"));
        String key = browser.currentUrl().substring(browser.currentUrl().lastIndexOf('/') + 1);
        EmulatedIssue created = site.issue(key).orElseThrow();
        assertThat(created.reporter()).isEqualTo(max.accountId());
        assertThat(created.issueType()).isEqualTo("Task");
        assertThat(created.priority()).isEqualTo("Low");
        assertThat(browser.find(By.id("description")).getText()).isEqualTo("Every export.\nSince Monday.");
        await().untilAsserted(() -> assertThat(app.webhooks()).anySatisfy(webhook -> {
            assertThat(webhook.path("webhookEvent").asText()).isEqualTo("jira:issue_created");
            assertThat(webhook.path("issue").path("key").asText()).isEqualTo(key);
            assertThat(webhook.path("user").path("accountId").asText()).isEqualTo(max.accountId());
        }));
    }

    @Test
    void projectSettingsShowTheAppsPageToProjectAdminsOnly() throws Exception {
        signIn(max, "/plugins/servlet/project-config/ACME/apps/" + IframeStandInApp.ADMIN_PAGE);
        assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("You don't have access to this page");
        assertThat(browser.driver().findElements(By.tagName("iframe"))).isEmpty();

        signIn(ada, "/plugins/servlet/project-config/ACME");
        browser.find(By.linkText("Probe admin")).click();
        WebElement frame = browser.waitFor(By.cssSelector("iframe.ap-admin-page"));
        Map<String, String> params = query(URI.create(frame.getAttribute("src")).getRawQuery());
        assertThat(params).containsEntry("projectKey", "ACME");
        assertThat(verified(params.get("jwt")).getSubject()).isEqualTo(ada.accountId());
        String token = browser.inFrame(frame, () -> (String) browser.asyncScript("AP.context.getToken().then(arguments[0])"));
        assertThat(contextClaim(verified(token))).isEqualTo(Map.of("jira", Map.of(
                "project", Map.of("id", String.valueOf(site.projects().get(0).id()), "key", "ACME"))));
        long remaining = (Long) browser.script("return Math.floor(document.documentElement.clientHeight"
                + " - arguments[0].getBoundingClientRect().top - 16)", frame);
        browser.inFrame(frame, () -> browser.script("AP.sizeToParent()"));
        browser.waitUntil(() -> frame.getSize().getHeight() == remaining);
        browser.screenshot("emulator-project-settings");
    }

    @Test
    void theUserSwitcherListsThePeopleAndMarksProjectAdmins() {
        signIn(max, "/browse/" + plain.key());
        Select switcher = new Select(browser.waitFor(By.id("user-switcher")));
        assertThat(switcher.getFirstSelectedOption().getText()).isEqualTo("Max Member");
        assertThat(switcher.getOptions()).extracting(WebElement::getText)
                .containsExactly("Ada Admin (admin: ACME)", "Max Member");

        switcher.selectByVisibleText("Ada Admin (admin: ACME)");

        browser.waitUntil(() -> new Select(browser.find(By.id("user-switcher"))).getFirstSelectedOption().getText()
                .startsWith("Ada Admin"));
        assertThat(browser.currentUrl()).isEqualTo(site.baseUrl() + "/browse/" + plain.key());
        assertThat(query(URI.create(glance().getAttribute("src")).getRawQuery()).get("jwt"))
                .satisfies(jwt -> assertThat(verified(jwt).getSubject()).isEqualTo(ada.accountId()));
    }

    // ---- helpers ----

    private static void signIn(EmulatedUser user, String returnPath) {
        browser.open(site.baseUrl() + "/sandbox/login?accountId=" + user.accountId() + "&return=" + returnPath);
    }

    private static WebElement glance() {
        return browser.waitFor(By.cssSelector("iframe.ap-glance"));
    }

    private static List<WebElement> glanceFrames() {
        return browser.driver().findElements(By.cssSelector("iframe.ap-glance"));
    }

    private static JWTClaimsSet verified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.verify(new MACVerifier(site.sharedSecret().getBytes(StandardCharsets.UTF_8))))
                    .as("signed with the shared secret").isTrue();
            return jwt.getJWTClaimsSet();
        } catch (Exception e) {
            throw new AssertionError("not a valid token: " + token, e);
        }
    }

    private static Map<String, Object> contextClaim(JWTClaimsSet claims) {
        try {
            return claims.getJSONObjectClaim("context");
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String acsbQsh(String path, Map<String, String> params) throws Exception {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        params.forEach((name, value) -> parameters.put(name, new String[]{value}));
        return HttpRequestCanonicalizer.computeCanonicalRequestHash(new CanonicalHttpRequest() {
            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public String getRelativePath() {
                return path;
            }

            @Override
            public Map<String, String[]> getParameterMap() {
                return parameters;
            }
        });
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        SiteRestApi.params(rawQuery).forEach((name, values) -> params.put(name, values.get(0)));
        return params;
    }
}
