package com.triageassistant.forge;

import java.util.List;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/forge}: how many Forge installations the app serves, how many have no fresh app token (their
 * background work waits for the next invocation), and how many look gone. Counts only: no tenant is named in a
 * public endpoint. Always UP: a site without a token does not make the app unhealthy.
 */
@Component("forge")
class ForgeHealthIndicator extends AbstractHealthIndicator {

    private final ForgeInstallations installations;
    private final ForgeAppTokens tokens;
    private final GoneSites goneSites;

    ForgeHealthIndicator(ForgeInstallations installations, ForgeAppTokens tokens, GoneSites goneSites) {
        this.installations = installations;
        this.tokens = tokens;
        this.goneSites = goneSites;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<ForgeInstallations.Installation> all = installations.all();
        builder.up()
                .withDetail("installations", all.size())
                .withDetail("withoutFreshToken", all.stream().filter(i -> !tokens.hasFreshToken(i)).count())
                .withDetail("gone", all.stream().filter(goneSites::gone).count());
    }
}
