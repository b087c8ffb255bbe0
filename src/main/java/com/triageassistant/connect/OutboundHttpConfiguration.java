package com.triageassistant.connect;

import java.time.Duration;

import org.springframework.boot.autoconfigure.web.client.RestTemplateBuilderConfigurer;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Time limits for every RestTemplate, ACSB's included (it fetches signed-install keys with one). Without them a
 * key server that accepts the connection and never answers would hold an install request, and its thread, forever.
 */
@Configuration(proxyBeanMethods = false)
class OutboundHttpConfiguration {

    @Bean
    RestTemplateBuilder restTemplateBuilder(RestTemplateBuilderConfigurer configurer) {
        return configurer.configure(new RestTemplateBuilder())
                .setConnectTimeout(Duration.ofSeconds(3))
                .setReadTimeout(Duration.ofSeconds(5));
    }
}
