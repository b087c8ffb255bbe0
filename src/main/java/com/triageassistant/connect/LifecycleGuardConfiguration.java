package com.triageassistant.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class LifecycleGuardConfiguration {

    static final int MAX_LIFECYCLE_BODY_BYTES = 64 * 1024;

    @Bean
    FilterRegistrationBean<LifecycleRequestGuard> lifecycleRequestGuard(ObjectMapper json,
                                                                  LifecycleCallRepository calls) {
        FilterRegistrationBean<LifecycleRequestGuard> registration =
                new FilterRegistrationBean<>(new LifecycleRequestGuard(json, calls, MAX_LIFECYCLE_BODY_BYTES));
        registration.addUrlPatterns("/installed", "/uninstalled");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
