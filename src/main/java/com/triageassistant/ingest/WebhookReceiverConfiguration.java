package com.triageassistant.ingest;

import com.atlassian.connect.spring.internal.AtlassianConnectProperties;
import com.atlassian.connect.spring.internal.descriptor.AddonDescriptorLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link WebhookReceiver} on the webhook paths only, right after ACSB's JWT filter (which runs after Spring Security's). */
@Configuration(proxyBeanMethods = false)
class WebhookReceiverConfiguration {

    @Bean
    FilterRegistrationBean<WebhookReceiver> webhookReceiver(WebhookInbox inbox, InboxWorker worker, ObjectMapper json,
                                                            IngestProperties props, AddonDescriptorLoader descriptor,
                                                            AtlassianConnectProperties connect) {
        FilterRegistrationBean<WebhookReceiver> registration = new FilterRegistrationBean<>(new WebhookReceiver(
                inbox, worker, json, props.maxWebhookSize().toBytes(), () -> descriptor.getDescriptor().getKey()));
        registration.addUrlPatterns(WebhookReceiver.PATH_PREFIX + "*");
        registration.setOrder(connect.getJwtFilterOrder() + 1);
        return registration;
    }
}
