package com.triageassistant.suggest;

import java.util.Optional;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.atlassian.connect.spring.internal.descriptor.AddonDescriptorLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sets the glance's status lozenge (the issue property Jira shows beside the glance's name), so people see that
 * suggestions exist without opening it.
 */
@Component
class GlanceStatusPublisher {

    static final String GLANCE_MODULE = "triage-glance";

    private static final Logger log = LoggerFactory.getLogger(GlanceStatusPublisher.class);

    private final JiraClient jira;
    private final AtlassianHostRepository hosts;
    private final AddonDescriptorLoader descriptor;
    private final ObjectMapper json;

    GlanceStatusPublisher(JiraClient jira, AtlassianHostRepository hosts,
                          AddonDescriptorLoader descriptor, ObjectMapper json) {
        this.jira = jira;
        this.hosts = hosts;
        this.descriptor = descriptor;
        this.json = json;
    }

    /** @param count the suggestions the issue's glance shows now */
    void publish(String clientKey, IssueRecord issue, int count) {
        Optional<AtlassianHost> host = hosts.findById(clientKey);
        if (host.isEmpty()) {
            return;
        }
        ObjectNode status = json.createObjectNode().put("type", "lozenge");
        status.putObject("value").put("label", count == 0 ? "No suggestions" : count == 1 ? "1 suggestion"
                : count + " suggestions").put("type", count == 0 ? "default" : "new");
        try {
            jira.setIssueProperty(host.get(), issue.issueId(), propertyKey(), status);
        } catch (JiraCallException e) {
            // cosmetic: the glance itself shows the suggestions either way
            log.debug("Glance status of {} not updated: {}", issue.issueKey(), e.getMessage());
        }
    }

    String propertyKey() {
        return "com.atlassian.jira.issue:" + descriptor.getDescriptor().getKey() + ":" + GLANCE_MODULE + ":status";
    }
}
