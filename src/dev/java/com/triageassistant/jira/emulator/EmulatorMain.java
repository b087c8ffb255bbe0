package com.triageassistant.jira.emulator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.triageassistant.jira.generator.GeneratedProject;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;

/**
 * Runs the emulator on its own: one site with a generated project, optionally installing an app, until stopped.
 *
 * <pre>
 * ./mvnw -q -B exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.triageassistant.jira.emulator.EmulatorMain \
 *   -Dexec.args="--key-server-port=8099 --issues=2000 --seed=1 --app=http://localhost:8080"
 * </pre>
 * Start the app with {@code --atlassian.connect.public-key-base-url=http://127.0.0.1:8099} so it trusts the
 * emulator's signed installs.
 */
public final class EmulatorMain {

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        int keyServerPort = Integer.parseInt(options.getOrDefault("key-server-port", "0"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        int issues = Integer.parseInt(options.getOrDefault("issues", "2000"));
        String projectKey = options.getOrDefault("project", "ACME");

        JiraEmulator jira = new JiraEmulator(WebhookPolicy.jira(), Clock.systemUTC(), keyServerPort);
        EmulatedSite site = jira.createSite(options.getOrDefault("site", "sandbox"));
        GeneratedProject project = new ProjectGenerator(
                GeneratorConfig.defaults(seed, projectKey).withIssueCount(issues)).generate();
        site.load(project);
        System.out.printf("Jira emulator%n  key server: %s%n  site:       %s (clientKey %s)%n  project:    %s, %d issues%n",
                jira.keyServerUrl(), site.baseUrl(), site.clientKey(), projectKey, project.issues().size());
        String app = options.get("app");
        if (app != null) {
            System.out.printf("  installing the app at %s: %d%n", app, site.install(app));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jira.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
