package com.triageassistant.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.triageassistant.TriageAssistantApplication;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedProject;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.emulator.WebhookPolicy;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.TrainingProperties;
import com.triageassistant.suggest.SuggestionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sandbox ({@code ./mvnw spring-boot:run}): a Jira Cloud emulator site and the real app in one JVM, the app
 * installed with two generated projects backfilled and trained, ready to click through in a browser.
 *
 * <p>The site lives in memory, so every start wipes the app's sandbox data (a tenant whose Jira vanished would
 * only confuse) and installs afresh. Lives in {@code src/dev}: never part of the app's jar.
 */
public final class SandboxMain {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration SUGGESTIONS_TIMEOUT = Duration.ofSeconds(30);
    private static final int FRESH_ISSUES_PER_PROJECT = 3;

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxOptions options = SandboxOptions.parse(args);
        wipe(options.dataDir());
        JiraEmulator jira = new JiraEmulator(WebhookPolicy.jira(), Clock.systemUTC(), options.keyServerPort());
        EmulatedSite site = jira.createSite("sandbox", options.sitePort());
        ConfigurableApplicationContext app = new SpringApplicationBuilder(TriageAssistantApplication.class)
                .run(appArguments(options, jira));
        Runtime.getRuntime().addShutdownHook(new Thread(jira::close, "sandbox-emulator-stop"));
        Logger log = LoggerFactory.getLogger(SandboxMain.class);

        log.info("Sandbox: generating the demo projects on {}", site.baseUrl());
        DemoSite demo = DemoSite.create(site);
        int status = site.install(options.appUrl());
        if (status / 100 != 2) {
            log.error("Sandbox: installing the app at {} answered {}; see the app's log above", options.appUrl(), status);
            return;
        }
        log.info("Sandbox: app installed on {}; waiting for backfill and training", site.baseUrl());
        boolean trained = awaitModels(app, site, demo, log);
        List<String> fresh = demo.fileFreshIssues(site, FRESH_ISSUES_PER_PROJECT);
        log.info("Sandbox: filed {} as {}, for the app to suggest on", String.join(", ", fresh),
                demo.member().displayName());
        awaitSuggestions(app, site, fresh, log);
        announce(options, site, demo, fresh.get(0), trained, log);
    }

    private static String[] appArguments(SandboxOptions options, JiraEmulator jira) {
        Path ignite = options.dataDir().resolve("ignite");
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + options.appPort(),
                "--addon.base-url=" + options.appUrl(),
                "--atlassian.connect.public-key-base-url=" + jira.keyServerUrl(),
                "--triage.ui.all-js-url={baseUrl}/atlassian-connect/all.js",
                "--triage.ignite.consistent-id=sandbox",
                "--triage.ignite.work-dir=" + ignite,
                // Ports of their own, so a sandbox never joins (or is joined by) another instance on this machine.
                "--triage.ignite.discovery-port=47700",
                "--triage.ignite.discovery-port-range=0",
                "--triage.ignite.discovery-addresses=127.0.0.1:47700",
                "--triage.ignite.communication-port=47300",
                "--triage.ignite.wal-segment-size=4MB",
                "--triage.ignite.wal-segments=2"));
        args.addAll(options.appArguments());
        return args.toArray(String[]::new);
    }

    /** Until every target of every demo project has an active model, logging progress now and then. */
    private static boolean awaitModels(ConfigurableApplicationContext app, EmulatedSite site, DemoSite demo,
                                       Logger log) throws InterruptedException {
        ModelRegistry registry = app.getBean(ModelRegistry.class);
        IssueStore issues = app.getBean(IssueStore.class);
        List<String> targets = app.getBean(TrainingProperties.class).targets();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Instant nextReport = Instant.now().plus(PROGRESS_EVERY);
        while (Instant.now().isBefore(deadline)) {
            List<String> progress = new ArrayList<>();
            boolean done = true;
            for (EmulatedProject project : demo.projects()) {
                long stored = issues.countLive(site.clientKey(), project.key());
                long models = targets.stream()
                        .filter(target -> registry.active(site.clientKey(), project.key(), target).isPresent()).count();
                done &= models == targets.size();
                progress.add(project.key() + ": " + stored + "/" + site.issues(project.key()).size() + " issues, "
                        + models + "/" + targets.size() + " models");
            }
            if (done) {
                return true;
            }
            if (Instant.now().isAfter(nextReport)) {
                log.info("Sandbox: {}", String.join("; ", progress));
                nextReport = Instant.now().plus(PROGRESS_EVERY);
            }
            Thread.sleep(POLL.toMillis());
        }
        log.warn("Sandbox: not every model was trained within {}; is the Python sidecar up (/actuator/health)?",
                READY_TIMEOUT);
        return false;
    }

    /** Until the app stored suggestions for every fresh issue (it suggests when their webhooks arrive). */
    private static void awaitSuggestions(ConfigurableApplicationContext app, EmulatedSite site, List<String> keys,
                                         Logger log) throws InterruptedException {
        SuggestionStore suggestions = app.getBean(SuggestionStore.class);
        Instant deadline = Instant.now().plus(SUGGESTIONS_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (keys.stream().allMatch(key -> !suggestions.find(site.clientKey(),
                    site.issue(key).orElseThrow().id()).isEmpty())) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        log.warn("Sandbox: the app stored no suggestions for some of {} within {}", keys, SUGGESTIONS_TIMEOUT);
    }

    private static void announce(SandboxOptions options, EmulatedSite site, DemoSite demo, String issueKey,
                                 boolean trained, Logger log) {
        EmulatedProject first = demo.projects().get(0);
        String issue = "/browse/" + issueKey;
        log.info("""

                ============================================================================
                Sandbox ready{}: open {}{}
                  as {} (administers {}): {}
                  as {} (a member):        {}
                  The switcher at the top of every page changes who you are.
                  Project settings, with the app's page: {}/plugins/servlet/project-config/{}
                  The app runs at {}; the data ({}) is wiped at every start.
                ============================================================================""",
                trained ? "" : " (not every model is trained yet)", site.baseUrl(), issue,
                demo.admin().displayName(), String.join(", ", demo.projects().stream().map(EmulatedProject::key)
                        .toList()), signInUrl(site, demo.admin().accountId(), issue),
                demo.member().displayName(), signInUrl(site, demo.member().accountId(), issue),
                site.baseUrl(), first.key(), options.appUrl(), options.dataDir());
    }

    private static String signInUrl(EmulatedSite site, String accountId, String returnPath) {
        return site.baseUrl() + "/sandbox/login?accountId=" + accountId + "&return=" + returnPath;
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not wipe the sandbox data in " + dir, e);
        }
    }
}
