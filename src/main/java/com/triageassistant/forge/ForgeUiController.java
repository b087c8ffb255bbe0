package com.triageassistant.forge;

import java.util.Optional;

import com.atlassian.connect.spring.ForgeRemote;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeApiContext;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeInvocationToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.triageassistant.suggest.FeedbackService;
import com.triageassistant.suggest.GlanceController;
import com.triageassistant.suggest.GlanceView;
import com.triageassistant.suggest.ShownGlances;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the Forge issue panel asks through {@code invokeRemote}: the same glance data and feedback as the Connect
 * pages get. The tenant is the token's installation and the issue is the one in the token's UI context (Forge signs
 * both), never a value of the request; only a call made for a person ({@code principal}) is answered.
 */
@RestController
@RequestMapping("/forge/ui")
public class ForgeUiController {

    private final VerifiedInvocations invocations;
    private final ForgeTenants tenants;
    private final ShownGlances glances;
    private final FeedbackService feedback;

    ForgeUiController(VerifiedInvocations invocations, ForgeTenants tenants, ShownGlances glances,
                      FeedbackService feedback) {
        this.invocations = invocations;
        this.tenants = tenants;
        this.glances = glances;
        this.feedback = feedback;
    }

    /** The issue's glance as data. */
    @ForgeRemote
    @PostMapping("/glance")
    public GlanceView glance() {
        UiCall call = call();
        return glances.show(call.clientKey(), call.issueId(), call.issueKey(), call.projectKey());
    }

    /** Apply or Dismiss of a value the panel showed for the issue of the call's context. */
    @ForgeRemote
    @PostMapping("/feedback")
    public ResponseEntity<Void> feedback(@RequestBody GlanceController.FeedbackRequest request) {
        UiCall call = call();
        feedback.record(call.clientKey(), call.issueId(), request.target(), request.value(), request.decision());
        return ResponseEntity.noContent().build();
    }

    /** A verified UI call: its tenant, and the issue of its {@code jira:issueContext} extension. */
    private record UiCall(String clientKey, long issueId, String issueKey, String projectKey) {
    }

    private UiCall call() {
        ForgeApiContext context = invocations.current();
        ForgeInvocationToken fit = context.getForgeInvocationToken();
        if (fit.getPrincipal() == null || fit.getPrincipal().isBlank()) {
            // Triggers' tokens name no person: they must not read what a person's panel shows.
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only calls made for a person are answered here");
        }
        JsonNode extension = Optional.ofNullable(fit.getContext()).map(node -> node.path("extension"))
                .orElse(null);
        long issueId = extension == null ? -1 : extension.path("issue").path("id").asLong(-1);
        if (issueId <= 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The call's context names no issue");
        }
        String clientKey = tenants.accept(context);
        return new UiCall(clientKey, issueId, extension.path("issue").path("key").asText(""),
                extension.path("project").path("key").asText(""));
    }
}
