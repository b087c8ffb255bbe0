package com.triageassistant;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TriageAssistantApplication {

    public static void main(String[] args) {
        // Ignite's discovery and communication bind IPv4 addresses (triage.ignite.local-address); Ignite warns at
        // every start unless the JVM prefers IPv4, as it recommends. Set before anything opens a socket; an
        // operator's own -Djava.net.preferIPv4Stack wins (false: an IPv6 network).
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true");
        }
        SpringApplication.run(TriageAssistantApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
