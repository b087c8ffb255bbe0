package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.triageassistant.jira.generator.GeneratedIssue;
import com.triageassistant.jira.generator.GeneratedProject;
import com.triageassistant.jira.generator.GeneratedUser;

/**
 * One Jira Cloud site: its own HTTP server (base URL), tenant identity and shared secret, data, the app installed
 * into it, and the Java control API tests and the sandbox drive it with.
 */
public final class EmulatedSite implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String clientKey = UUID.randomUUID().toString();
    /** The site's id on Atlassian's platform: Forge calls name the site by it ({@code /ex/jira/{cloudId}}). */
    private final String cloudId = UUID.randomUUID().toString();
    private final String sharedSecret;
    private final InstallKeyServer.SigningKey installKey;
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RestFaults faults = new RestFaults();
    private final PersonalDataReporting personalData = new PersonalDataReporting();
    private final WebhookFaults webhookFaults = new WebhookFaults();
    private final WebhookDispatcher dispatcher;
    private final WebhookFaults forgeEventFaults = new WebhookFaults();
    private final SiteForgeApp forgeApp;
    private final SiteRestApi restApi;
    private final SiteState state;
    private final JiraJson json;
    private final List<AppRequest> appRequests = Collections.synchronizedList(new ArrayList<>());
    private final List<AppRequest> personRequests = Collections.synchronizedList(new ArrayList<>());
    private final SitePermissions permissions;
    private volatile InstalledApp app;
    /** The app whose {@code installed} callback is in flight: Jira already honours its shared secret. */
    private volatile InstalledApp installing;
    private volatile String appAccountId;
    private String siteAdminAccountId;

    /** @param port 0 for any free loopback port */
    EmulatedSite(String name, InstallKeyServer.SigningKey installKey, WebhookPolicy policy, Clock clock, int port,
                 Supplier<ForgePlatform> forgePlatform, ForgeDeliveryPolicy forgePolicy) {
        this.name = name;
        this.installKey = installKey;
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        this.sharedSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        server = LoopbackHttpServer.create(port);
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        this.dispatcher = new WebhookDispatcher(() -> app, clientKey, sharedSecret, policy, webhookFaults, clock);
        SiteState[] holder = new SiteState[1];
        this.json = new JiraJson(baseUrl, id -> holder[0].user(id).orElse(null),
                key -> holder[0].project(key).orElse(null));
        this.forgeApp = new SiteForgeApp(this, forgePlatform, forgePolicy, forgeEventFaults, clock);
        this.state = new SiteState(clock, SiteEvents.all(new WebhookPayloads(json, dispatcher, clock),
                new ForgeEventPayloads(json, forgeApp)));
        holder[0] = state;
        this.permissions = new SitePermissions(() -> appAccountId);
        BrowserSessions sessions = new BrowserSessions(baseUrl, state::user);
        serverThreads = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "jira-emulator-" + name);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(serverThreads);
        restApi = new SiteRestApi(this, sessions);
        server.createContext("/rest/", restApi);
        server.createContext("/app/report-accounts/", restApi);
        server.createContext("/secure/useravatar", restApi);
        server.createContext("/", new HostPages(this, sessions));
        server.start();
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String clientKey() {
        return clientKey;
    }

    public String sharedSecret() {
        return sharedSecret;
    }

    // ---- the app's lifecycle, driven the way Jira drives it ----

    /**
     * Fetches the app's descriptor, sends {@code installed} signed RS256 with the install key (aud = the app's
     * baseUrl), and on success {@code enabled}. Returns the status the app answered {@code installed} with.
     */
    public int install(String appDescriptorBaseUrl) {
        JsonNode descriptor = readJson(get(appDescriptorBaseUrl + "/atlassian-connect.json"));
        InstalledApp candidate = InstalledApp.fromDescriptor(descriptor);
        // Jira creates the app's user before it calls the app, so the app may act as itself at once.
        ensureAppUser(candidate.key(), candidate.name());
        installing = candidate;
        try {
            int status = postLifecycle(candidate, "installed", true);
            if (status / 100 == 2) {
                app = candidate;
                if (candidate.lifecycle().containsKey("enabled")) {
                    postLifecycle(candidate, "enabled", false);
                }
            }
            return status;
        } finally {
            installing = null;
        }
    }

    /** Sends {@code uninstalled} (RS256); from then on the site sends nothing to the app and refuses its calls. */
    public int uninstall() {
        InstalledApp installed = requireApp();
        int status = postLifecycle(installed, "uninstalled", true);
        app = null;
        return status;
    }

    /** One app user per site, whichever of the Connect and Forge apps came first: Forge keeps Connect's account. */
    private synchronized String ensureAppUser(String seed, String displayName) {
        if (appAccountId == null) {
            appAccountId = "557058:" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
            state.createAppUser(appAccountId, displayName);
        }
        return appAccountId;
    }

    public int disable() {
        return postLifecycle(requireApp(), "disabled", false);
    }

    public int enable() {
        return postLifecycle(requireApp(), "enabled", false);
    }

    private int postLifecycle(InstalledApp target, String event, boolean signedInstall) {
        String path = target.lifecycle().get(event);
        if (path == null) {
            throw new IllegalStateException("the app declares no " + event + " lifecycle URL");
        }
        ObjectNode body = JiraJson.MAPPER.createObjectNode()
                .put("key", target.key()).put("clientKey", clientKey).put("sharedSecret", sharedSecret)
                .put("baseUrl", baseUrl).put("displayUrl", baseUrl).put("productType", "jira")
                .put("description", "Atlassian JIRA at " + baseUrl).put("eventType", event)
                .put("serverVersion", "100273").put("pluginsVersion", "1001.0.0-SNAPSHOT");
        String qsh = ConnectJwts.qsh("POST", path);
        String token = signedInstall
                ? ConnectJwts.rs256(installKey, ConnectJwts.claims(clientKey, qsh, Duration.ofMinutes(3))
                        .audience(target.baseUrl()).build())
                : ConnectJwts.hs256(sharedSecret, ConnectJwts.claims(clientKey, qsh, Duration.ofMinutes(3)).build());
        return send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "JWT " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).statusCode();
    }

    // ---- the Forge app, independent of the Connect one ----

    /** The site's id on Atlassian's platform. */
    public String cloudId() {
        return cloudId;
    }

    /** As {@link #installForge(ForgeManifest, String, String)}, installed by the site's admin. */
    public ForgeInstallation installForge(Path manifestYml, String remoteBaseUrl) {
        return installForge(ForgeManifest.read(manifestYml), remoteBaseUrl, siteAdmin().accountId());
    }

    /**
     * Installs the Forge app: creates the app's user (or keeps the Connect app's), registers the installation with
     * the platform, and sends {@code avi:forge:installed:app} to the trigger that lists it (asynchronously, with
     * Forge's retries; see {@link #awaitForgeEvents(Duration)}).
     *
     * @param remoteBaseUrl replaces every remote's baseUrl (the app runs on a random port in tests); null keeps
     *                      the manifest's
     */
    public ForgeInstallation installForge(ForgeManifest manifest, String remoteBaseUrl, String installerAccountId) {
        String appUser = ensureAppUser(manifest.appId(), "Forge app");
        return forgeApp.install(manifest, remoteBaseUrl, installerAccountId, appUser);
    }

    /** A new version of the installed Forge app: sends {@code avi:forge:upgraded:app}. */
    public ForgeInstallation upgradeForge() {
        return forgeApp.upgrade();
    }

    /**
     * Uninstalls the Forge app. Forge sends the app no event (FRGE-1246); from now on it sends nothing and refuses
     * every token of the installation.
     */
    public void uninstallForge() {
        forgeApp.uninstall();
    }

    public Optional<ForgeInstallation> forgeInstallation() {
        return forgeApp.installation();
    }

    /** Invokes every scheduled trigger of the Forge app once, now. */
    public void runScheduledTriggers() {
        forgeApp.runScheduledTriggers();
    }

    /** Runs the scheduled triggers on a timer: at the manifest's intervals, or every {@code override} if not null. */
    public void startScheduledTriggers(Duration override) {
        forgeApp.startScheduledTriggers(override);
    }

    public void stopScheduledTriggers() {
        forgeApp.stopScheduledTriggers();
    }

    /** Faults for Forge invocations, separate from the Connect webhooks' {@link #webhookFaults()}. */
    public WebhookFaults forgeEventFaults() {
        return forgeEventFaults;
    }

    /** Sends the invocations queued by {@link WebhookFaults#hold()} on {@link #forgeEventFaults()}, shuffled. */
    public void releaseHeldForgeEvents(long seed) {
        forgeApp.invoker().releaseHeld(seed);
    }

    /**
     * Every attempt to invoke the Forge app; {@link DeliveryAttempt#event()} is the event type (or the scheduled
     * trigger's key), {@link DeliveryAttempt#url()} the endpoint's route path.
     */
    public List<DeliveryAttempt> forgeDeliveries() {
        return forgeApp.invoker().attempts();
    }

    /** Waits until every Forge invocation was delivered or given up on. */
    public boolean awaitForgeEvents(Duration timeout) {
        try {
            return forgeApp.invoker().awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The site's administrator (created on first use): installs the Forge app by default. */
    public synchronized EmulatedUser siteAdmin() {
        if (siteAdminAccountId == null) {
            siteAdminAccountId = createUser("Site admin").accountId();
        }
        return state.user(siteAdminAccountId).orElseThrow();
    }

    /** A request from this site (as user {@code accountId}) to the app, signed as Jira signs iframe and REST calls. */
    public HttpResponse<String> callApp(String method, String pathAndQuery, String accountId, String jsonBody) {
        InstalledApp installed = requireApp();
        return callApp(method, pathAndQuery, jsonBody, requestToken(method, pathAndQuery, accountId), installed);
    }

    /** As {@link #callApp(String, String, String, String)} with a token of the caller's choosing (e.g. tampered). */
    public HttpResponse<String> callAppWithToken(String method, String pathAndQuery, String jsonBody, String token) {
        return callApp(method, pathAndQuery, jsonBody, token, requireApp());
    }

    private HttpResponse<String> callApp(String method, String pathAndQuery, String jsonBody, String token,
                                         InstalledApp installed) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody);
        return send(HttpRequest.newBuilder(URI.create(installed.baseUrl() + pathAndQuery))
                .header("Content-Type", "application/json").header("Authorization", "JWT " + token)
                .method(method, body));
    }

    /** An HS256 token from this site for a request to the app, with the request's {@code qsh}. */
    public String requestToken(String method, String pathAndQuery, String accountId) {
        return ConnectJwts.hs256(sharedSecret, ConnectJwts.claims(clientKey, ConnectJwts.qsh(method, pathAndQuery),
                Duration.ofMinutes(3)).subject(accountId).build());
    }

    /** The token {@code AP.context.getToken()} hands the app's iframe: {@code qsh} is the literal "context-qsh". */
    public String contextToken(String accountId) {
        return contextToken(accountId, Map.of());
    }

    /**
     * As {@link #contextToken(String)}, with the {@code context} claim naming what the iframe shows, e.g.
     * {@code {"jira": {"issue": {"id", "key"}, "project": {"id", "key"}}}}.
     */
    public String contextToken(String accountId, Map<String, Object> context) {
        return ConnectJwts.hs256(sharedSecret, ConnectJwts.claims(clientKey, "context-qsh", Duration.ofMinutes(15))
                .subject(accountId).claim("context", context).build());
    }

    // ---- data, edited the way people edit Jira ----

    public EmulatedProject createProject(String key, String projectName, List<String> issueTypes,
                                         List<String> components) {
        return state.createProject(key, projectName, issueTypes, components);
    }

    public EmulatedUser createUser(String displayName) {
        return state.createUser("acc-" + UUID.randomUUID(), displayName, true);
    }

    /** Gives users the project's "Assignable user" permission. */
    public void makeAssignable(String projectKey, String... accountIds) {
        Collections.addAll(state.requireProject(projectKey).assignable(), accountIds);
    }

    public void makeProjectAdmin(String projectKey, String accountId) {
        state.requireProject(projectKey).admins().add(accountId);
    }

    /** Creates an issue as {@code reporter}; fires {@code jira:issue_created}. */
    public EmulatedIssue createIssue(String projectKey, String issueType, String summary, JsonNode description,
                                     List<String> components, List<String> labels, String priority,
                                     String assignee, String reporter) {
        return state.createIssue(projectKey, issueType, summary, description, components, labels, priority,
                assignee, reporter);
    }

    /** Edits an issue as that user; fires {@code jira:issue_updated} with a changelog when something changed. */
    public EmulatedIssue editIssue(String key, String asAccountId, IssueEdit edit) {
        return state.edit(key, edit, actor(asAccountId));
    }

    public void deleteIssue(String key, String asAccountId) {
        state.deleteIssue(key, actor(asAccountId));
    }

    public void deleteProject(String key) {
        state.deleteProject(key);
    }

    /** GDPR erasure of an account: fires {@code user_deleted}. */
    public void deleteUser(String accountId) {
        state.deleteUser(accountId);
    }

    /** The person left: no longer assignable, no webhook (Jira sends none for deactivation). */
    public void deactivateUser(String accountId) {
        state.deactivateUser(accountId);
    }

    /** Loads a generated history as it stood before the app was installed: no webhooks. */
    public EmulatedProject load(GeneratedProject generated) {
        EmulatedProject project = state.createProject(generated.key(), generated.name(), generated.issueTypes(),
                generated.components());
        for (GeneratedUser user : generated.users()) {
            state.createUser(user.accountId(), user.displayName(), user.left() == null);
            if (user.assignee()) {
                project.assignable().add(user.accountId());
            }
        }
        for (GeneratedIssue issue : generated.issues()) {
            state.load(new EmulatedIssue(issue.id(), issue.key(), generated.key(), issue.issueType(), issue.summary(),
                    issue.description(), issue.components(), issue.labels(), issue.priority(), issue.assignee(),
                    issue.reporter(), issue.created(), issue.updated()));
        }
        return project;
    }

    public Optional<EmulatedIssue> issue(String key) {
        return state.issue(key);
    }

    public List<EmulatedIssue> issues(String projectKey) {
        return state.issues(issue -> issue.projectKey().equals(projectKey));
    }

    public Optional<EmulatedUser> user(String accountId) {
        return state.user(accountId);
    }

    /** Every account, the app's included, in the order they were created. */
    public List<EmulatedUser> users() {
        return state.users();
    }

    public List<EmulatedProject> projects() {
        return state.projects();
    }

    /** An issue's entity property, as {@code GET /rest/api/3/issue/{key}/properties/{propertyKey}} has it. */
    public Optional<JsonNode> issueProperty(String issueKey, String propertyKey) {
        return state.issueProperty(issueKey, propertyKey);
    }

    /** Sets an issue's entity property as an app would through REST. */
    public void setIssueProperty(String issueKey, String propertyKey, JsonNode value) {
        state.setIssueProperty(issueKey, propertyKey, value);
    }

    // ---- faults and observation ----

    /** Atlassian's Personal Data Reporting API as this site answers it: closed and updated accounts, Cycle-Period. */
    public PersonalDataReporting personalData() {
        return personalData;
    }

    public RestFaults faults() {
        return faults;
    }

    public WebhookFaults webhookFaults() {
        return webhookFaults;
    }

    /** Sends the deliveries queued by {@link WebhookFaults#hold()}, shuffled with this seed. */
    public void releaseHeldWebhooks(long seed) {
        dispatcher.releaseHeld(seed);
    }

    public List<AppRequest> appRequests() {
        synchronized (appRequests) {
            return List.copyOf(appRequests);
        }
    }

    /**
     * Writes (not reads) people made through the REST API from a browser (host pages, {@code AP.request}), as the
     * site answered them; {@link AppRequest#accountId()} is the signed-in person. Lets a test see exactly which
     * edit a page sent on someone's behalf.
     */
    public List<AppRequest> personRequests() {
        synchronized (personRequests) {
            return List.copyOf(personRequests);
        }
    }

    public List<DeliveryAttempt> deliveries() {
        return dispatcher.attempts();
    }

    /** Waits until every webhook was delivered or given up on. */
    public boolean awaitWebhooks(Duration timeout) {
        try {
            return dispatcher.awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The account the app acts as when its token names no user. */
    public String appAccountId() {
        return appAccountId;
    }

    // ---- for the REST API ----

    SiteState state() {
        return state;
    }

    JiraJson json() {
        return json;
    }

    SiteRestApi restApi() {
        return restApi;
    }

    SitePermissions permissions() {
        return permissions;
    }

    Optional<InstalledApp> installedApp() {
        return Optional.ofNullable(app);
    }

    /**
     * The app whose signature the REST API accepts: Jira honours the shared secret from the moment it sends
     * {@code installed}, so an app may call back while still answering that callback.
     */
    Optional<InstalledApp> authenticatingApp() {
        InstalledApp installed = app;
        return Optional.ofNullable(installed != null ? installed : installing);
    }

    void record(AppRequest request) {
        appRequests.add(request);
    }

    void recordPerson(AppRequest request) {
        personRequests.add(request);
    }

    EmulatedUser actor(String accountId) {
        String id = accountId != null ? accountId : appAccountId;
        return state.user(id).orElseThrow(() -> JiraRequestException.badRequest("Unknown user " + id));
    }

    private InstalledApp requireApp() {
        InstalledApp installed = app;
        if (installed == null) {
            throw new IllegalStateException("the app is not installed on " + name);
        }
        return installed;
    }

    private String get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return Http.send(http, request.timeout(Duration.ofSeconds(30)).build());
    }

    private static JsonNode readJson(String text) {
        try {
            return JiraJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        dispatcher.close();
        forgeApp.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }
}
