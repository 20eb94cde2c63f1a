package dev.switchboard.knowledge.internal.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.knowledge.internal.KnowledgeBases;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.WebFilterOrder;

/** The upload guard, in the servlet filter chain right after authentication and rate limiting. */
@Configuration(proxyBeanMethods = false)
class KnowledgeWebConfiguration {

    @Bean
    FilterRegistrationBean<DocumentUploadGuard> documentUploadGuard(KnowledgeBases bases, ProblemResponder problems) {
        FilterRegistrationBean<DocumentUploadGuard> registration = new FilterRegistrationBean<>(new DocumentUploadGuard(bases, problems));
        registration.setOrder(WebFilterOrder.DOCUMENT_UPLOAD);
        registration.addUrlPatterns(DocumentUploadGuard.PATH);
        return registration;
    }
}
