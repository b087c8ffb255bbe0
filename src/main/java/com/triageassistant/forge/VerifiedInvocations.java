package com.triageassistant.forge;

import com.atlassian.connect.spring.internal.auth.frc.ForgeSecurityContextHelper;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeApiContext;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/** The Forge invocation the current request was verified as, for every {@code @ForgeRemote} route. */
@Component
class VerifiedInvocations {

    private final ForgeSecurityContextHelper security;

    VerifiedInvocations(ForgeSecurityContextHelper security) {
        this.security = security;
    }

    ForgeApiContext current() {
        // @ForgeRemote let the request in only with one; this guards against a mapping that lost the annotation.
        return security.getForgeApiContextFromSecurityContext()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED));
    }
}
