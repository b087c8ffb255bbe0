package com.triageassistant.connect;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import com.atlassian.connect.spring.AtlassianHost;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * Headers of the pages Jira frames: only the tenant's own Jira site may frame them (ACSB turns X-Frame-Options
 * off, which would forbid Jira too), scripts come only from the app and Connect's API, and nothing is cached.
 */
@Component
public class PageHeaders {

    private final UiProperties ui;

    PageHeaders(UiProperties ui) {
        this.ui = ui;
    }

    /** The all.js URL for this tenant. */
    public String allJsUrl(AtlassianHost host) {
        return ui.allJsUrl().replace("{baseUrl}", stripSlash(host.getBaseUrl()));
    }

    public void apply(HttpServletResponse response, AtlassianHost host) {
        Set<String> jira = new LinkedHashSet<>();
        jira.add(origin(host.getBaseUrl()));
        if (host.getDisplayUrl() != null) {
            jira.add(origin(host.getDisplayUrl()));
        }
        String frameAncestors = String.join(" ", jira);
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self' "
                + origin(allJsUrl(host)) + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: "
                + frameAncestors + "; connect-src 'self'; frame-ancestors " + frameAncestors
                + "; base-uri 'none'; form-action 'none'");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
