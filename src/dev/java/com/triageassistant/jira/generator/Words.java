package com.triageassistant.jira.generator;

import java.util.List;

/**
 * Vocabulary shared by all components. Several generic nouns ("export", "sync", "upload", "permission",
 * "notification", "message") are also topic words of particular components, so a word alone does not give away the
 * component: that overlap is deliberate.
 */
final class Words {

    static final List<String> GENERIC_NOUNS = List.of("page", "screen", "button", "list", "settings", "request",
            "response", "field", "value", "record", "item", "account", "link", "status", "error message", "timestamp",
            "count", "total", "filter", "export", "sync", "upload", "notification", "permission", "message", "user",
            "date", "search result", "preview", "report");
    static final List<String> FAIL_VERBS = List.of("fails", "does not load", "throws an error", "hangs",
            "returns a 500", "shows a blank page", "gets stuck", "stops working", "shows stale data",
            "is not saved", "times out", "shows an error");
    static final List<String> WRONG_STATES = List.of("is empty", "shows the wrong value", "is duplicated",
            "is missing", "is off by one", "is not updated", "shows the wrong timezone", "is cut off",
            "is not translated");
    static final List<String> USER_VERBS = List.of("save", "open", "edit", "delete", "update", "share", "view",
            "configure", "rename", "copy");
    static final List<String> CONTEXTS = List.of("for some users", "on Safari", "in the EU region",
            "after the last release", "for guest users", "on large workspaces", "with SSO accounts",
            "on the second try", "on Firefox", "in Firefox private mode", "for accounts created before 2022");
    static final List<String> PERSONAS = List.of("workspace admin", "project manager", "guest user",
            "billing owner", "team lead", "new user", "mobile user", "support agent", "developer", "auditor");
    static final List<String> BENEFITS = List.of("I can finish my work faster", "I do not have to ask an admin",
            "the team stays informed", "we avoid manual work", "I can see what changed",
            "customers get fewer surprises", "I can audit what happened", "I can work from my phone");
    static final List<String> STORY_VERBS = List.of("filter", "export", "share", "bulk edit", "configure",
            "archive", "search", "reorder", "preview", "duplicate", "restore");
    static final List<String> QUALITIES = List.of("performance", "usability", "error handling", "empty state",
            "loading time", "accessibility", "logging", "keyboard navigation");
    static final List<String> EXTRAS = List.of("keyboard shortcuts", "bulk actions", "dark mode", "custom fields",
            "sorting", "undo", "saved filters", "CSV download", "inline editing");
    static final List<String> EPIC_SUFFIXES = List.of("revamp", "v2", "overhaul", "GA readiness", "redesign",
            "scalability", "enterprise readiness");
    static final List<String> TASK_GOALS = List.of("support the new plan limits", "use the shared client",
            "log structured events", "respect the tenant setting", "handle pagination", "read from the replica",
            "emit audit events");
    static final List<String> TASK_ADDITIONS = List.of("metrics", "structured logging", "a feature flag",
            "retries", "an admin toggle", "tracing", "alerts", "a health check");
    static final List<String> TECHNOLOGIES = List.of("the new queue", "Postgres 15", "Java 21",
            "the shared HTTP client", "Kubernetes", "the v3 API", "Python 3.12", "the new design system");
    static final List<String> DEPENDENCIES = List.of("Spring Boot", "Jackson", "Netty", "log4j", "Django",
            "requests", "urllib3", "React", "lodash", "OkHttp", "Hibernate", "Celery");
    static final List<String> UI_THINGS = List.of("button", "tooltip", "icon", "label", "header",
            "placeholder text", "empty state", "spinner", "badge", "footer", "column title");
    static final List<String> COMPANIES = List.of("Globex", "Initech", "Umbrella Corp", "Hooli", "Stark Industries",
            "Wayne Enterprises", "Acme Retail", "Vandelay Industries", "Soylent", "Tyrell", "Massive Dynamic",
            "Cyberdyne", "Pied Piper", "Wonka Industries");
    static final List<String> PLANS = List.of("Free", "Standard", "Premium", "Enterprise");
    static final List<String> OPERATING_SYSTEMS = List.of("macOS 14.4", "Windows 11", "Ubuntu 22.04",
            "macOS 13.6", "Windows 10");
    static final List<String> BROWSERS = List.of("Chrome", "Firefox", "Safari", "Edge");
    static final List<String> DEVICES = List.of("iPhone 14", "iPhone 15 Pro", "Pixel 8", "Galaxy S23",
            "iPad Air");
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1",
            "us-west-2");
    static final List<String> CHATTER = List.of("Happens roughly half of the time.", "Seen on staging and production.",
            "Could not find an existing ticket for this.", "Started after the last deploy, as far as I can tell.",
            "Reproducible in a private window as well.", "Clearing the cache does not help.",
            "Only some workspaces seem to be affected.", "Screenshot attached.",
            "Happened twice today, not sure how to trigger it reliably.", "Works fine on my machine, fails on CI.");
    static final List<String> EXPECTED = List.of("the change is saved and shown in the list", "no error is shown",
            "the page loads within a second", "the value is updated everywhere", "I get a confirmation");
    static final List<String> ACTUAL = List.of("an error toast says \"Something went wrong\"",
            "the page shows error 500", "nothing happens", "the spinner never stops",
            "the old value comes back after a refresh", "the browser console shows a 400");
    static final List<String> TASK_REASONS = List.of("so that support can debug faster",
            "because the old path is deprecated", "as agreed in the retro", "before the audit",
            "to reduce on-call noise", "because the vendor ends support this year");
    static final List<String> CHECKLIST = List.of("Update the docs", "Add metrics", "Add tests",
            "Announce in #eng", "Remove the old code path", "Update the runbook", "Check the dashboards");
    static final List<String> ACCEPTANCE = List.of("Works on mobile web", "An audit log entry is written",
            "Covered by automated tests", "An empty state is shown when there is no data",
            "Respects workspace permissions", "Shows a confirmation message", "Available in all locales");
    static final List<String> LIMITATIONS = List.of("is hard to find", "takes too many clicks",
            "gives no feedback while loading", "only shows the first 50 items", "uses a confusing label",
            "cannot be undone", "needs a page reload to show changes");
    static final List<String> MILESTONES = List.of("Discovery and designs", "Backend changes",
            "Beta with selected customers", "GA and docs", "Migration of existing data", "Load testing",
            "Deprecate the old flow");

    static final List<String> OUTAGE_CUES = List.of("Production is down for all customers.",
            "Complete outage since this morning, an incident is open.", "All customers are affected, nobody can work.",
            "Service unavailable in every region, status page updated.");
    static final List<String> DATA_LOSS_CUES = List.of("This causes data loss: records are gone after saving.",
            "Customer data is being corrupted, please treat as sev-1.",
            "We are losing customer data with every save.");
    static final List<String> CRITICAL_CUES = List.of("This takes production down for our biggest account.",
            "Sev-1: every customer on the plan is affected.", "Critical: revenue impacting, fix ASAP.");
    static final List<String> CRASH_CUES = List.of("The app crashes every time, there is no workaround.",
            "Crashes on every attempt.", "Hard crash, the user loses the page.");
    static final List<String> SECURITY_CUES = List.of("Security issue, please do not discuss it in public channels.",
            "Found by the pen test, needs a fix before the audit.");
    static final List<String> REGRESSION_CUES = List.of("Broke after the last release and blocks QA.",
            "Worked in the previous release, so this is a regression blocking the rollout.");
    static final List<String> HIGH_CUES = List.of("This is a blocker for the upcoming release.",
            "Several customers are affected and support is escalating.",
            "Urgent: the customer has a go-live next week.", "High impact, many users hit this daily.");
    static final List<String> COSMETIC_CUES = List.of("Just a typo, nothing functional.", "Cosmetic only.",
            "Small visual glitch, no functional impact.");
    static final List<String> LOW_CUES = List.of("Minor issue, low impact.", "Nice to have, not urgent.",
            "Low priority, whenever someone has time.", "Trivial, can wait for a quiet sprint.");
    /** Cue words in a context that does not mean what keyword matching thinks. */
    static final List<String> DECOYS = List.of("No data loss as far as we can tell.",
            "The app does not crash, it only shows a spinner.", "Not a blocker, we have a workaround.",
            "Not a production outage, only slower than usual.", "Not just cosmetic: users cannot continue.");

    private Words() {
    }
}
