package com.triageassistant.connect;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pages Jira shows in iframes.
 *
 * @param allJsUrl where the pages load Atlassian Connect's JavaScript API from; {@code {baseUrl}} stands for the
 *                 tenant's Jira site (the sandbox and tests point it at the emulator's stand-in)
 */
@ConfigurationProperties("triage.ui")
public record UiProperties(@DefaultValue("https://connect-cdn.atl-paas.net/all.js") String allJsUrl) {
}
