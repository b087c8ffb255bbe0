package com.triageassistant.ml;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Python sidecar: how it is started and how closely it is watched. Paths are relative to the working
 * directory (the repository root when run from the sources; the Dockerfile passes its own).
 *
 * @param enabled              false: never start Python (the sidecar component reports DOWN, the app runs on)
 * @param python               the interpreter, a path or a command on {@code PATH}
 * @param pythonPath           {@code PYTHONPATH} entries: the {@code triage_ml} package's parent and Py4J's source zip
 * @param startTimeout         how long a starting sidecar may take to report ready (imports scikit-learn)
 * @param pingInterval         how often a running sidecar is asked for its health
 * @param pingTimeout          a sidecar that does not answer a ping within this is taken as hung and restarted
 * @param predictTimeout       limit of one predict, explain, load or unload call; a sidecar that leaves one
 *                             unanswered this long is taken as wedged, killed and restarted
 * @param trainTimeout         limit of one train call, enforced the same way
 * @param stopTimeout          at shutdown: wait this long after closing stdin, then again after SIGTERM, then SIGKILL
 * @param restartBackoffInitial first delay before restarting a lost sidecar (or retrying a failed start)
 * @param restartBackoffMax    cap on that delay, which doubles per consecutive failure; a sidecar that stayed up
 *                             this long starts the sequence over
 * @param encryptPayloads      seal the payloads and answers that pass through files (see {@link PayloadCipher});
 *                             application.yml ties it to TDE ({@code triage.ignite.encryption.enabled})
 */
@ConfigurationProperties("triage.ml")
public record SidecarProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue(".venv/bin/python") String python,
        @DefaultValue({"python", "target/py4j/python/py4j-src-0.10.9.7.zip"}) List<String> pythonPath,
        @DefaultValue("60s") Duration startTimeout,
        @DefaultValue("5s") Duration pingInterval,
        @DefaultValue("3s") Duration pingTimeout,
        @DefaultValue("30s") Duration predictTimeout,
        @DefaultValue("10m") Duration trainTimeout,
        @DefaultValue("3s") Duration stopTimeout,
        @DefaultValue("1s") Duration restartBackoffInitial,
        @DefaultValue("1m") Duration restartBackoffMax,
        @DefaultValue("false") boolean encryptPayloads) {
}
