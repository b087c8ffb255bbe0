package com.triageassistant.ingest;

import com.atlassian.connect.spring.internal.descriptor.AddonDescriptorLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.connect.JwtClaimRules;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;

/**
 * {@link WebhookReceiver} on the webhook paths only, right before Spring Security's filter: it answers every request
 * there itself, so neither Spring Security nor ACSB's JWT filter (which runs after Spring Security's) sees them.
 */
@Configuration(proxyBeanMethods = false)
class WebhookReceiverConfiguration {

    @Bean
    FilterRegistrationBean<WebhookReceiver> webhookReceiver(AuthenticationManager authentication,
                                                            JwtClaimRules claimRules, InboxIntake intake,
                                                            ObjectMapper json,
                                                            IngestProperties props, AddonDescriptorLoader descriptor,
                                                            SecurityProperties security, AckMeters acks) {
        FilterRegistrationBean<WebhookReceiver> registration = new FilterRegistrationBean<>(new WebhookReceiver(
                authentication, claimRules, intake, json, props.maxWebhookSize().toBytes(),
                () -> descriptor.getDescriptor().getKey(), acks));
        registration.addUrlPatterns(WebhookReceiver.PATH_PREFIX + "*");
        registration.setOrder(security.getFilter().getOrder() - 1);
        return registration;
    }
}
