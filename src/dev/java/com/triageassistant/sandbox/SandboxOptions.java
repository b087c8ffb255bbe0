package com.triageassistant.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox runs. {@code --sandbox.<name>=value} arguments set these; every other argument is handed to the
 * app (e.g. {@code --triage.ml.enabled=false}).
 *
 * @param appPort       the app's HTTP port (Jira fetches descriptors only from 80, 443 or 8080)
 * @param sitePort      the emulated Jira site's port
 * @param keyServerPort the emulated Atlassian install-key server's port
 * @param dataDir       the app's data; wiped at every start, because the emulated site lives in memory
 * @param appArguments  passed on to the app
 */
record SandboxOptions(int appPort, int sitePort, int keyServerPort, Path dataDir, List<String> appArguments) {

    static SandboxOptions parse(String[] args) {
        int appPort = 8080;
        int sitePort = 8081;
        int keyServerPort = 8082;
        Path dataDir = Path.of("data", "sandbox");
        List<String> appArguments = new ArrayList<>();
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--sandbox.app-port=")) {
                appPort = Integer.parseInt(value);
            } else if (arg.startsWith("--sandbox.site-port=")) {
                sitePort = Integer.parseInt(value);
            } else if (arg.startsWith("--sandbox.key-server-port=")) {
                keyServerPort = Integer.parseInt(value);
            } else if (arg.startsWith("--sandbox.data-dir=")) {
                dataDir = Path.of(value);
            } else if (arg.startsWith("--sandbox.")) {
                throw new IllegalArgumentException("unknown sandbox option " + arg);
            } else {
                appArguments.add(arg);
            }
        }
        return new SandboxOptions(appPort, sitePort, keyServerPort, dataDir, List.copyOf(appArguments));
    }

    String appUrl() {
        return "http://localhost:" + appPort;
    }
}
