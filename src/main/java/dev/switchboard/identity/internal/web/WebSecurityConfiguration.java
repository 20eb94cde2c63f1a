package dev.switchboard.identity.internal.web;

import dev.switchboard.identity.internal.SecurityProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.PortMapper;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

/**
 * The Spring Security filter chain. Stateless; the security headers and CORS are handled by servlet filters
 * ahead of it (see {@link SecurityHeadersConfiguration}, {@link CorsConfiguration}). Authentication and
 * authorisation rules arrive with the identity features.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class WebSecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .headers(headers -> headers.disable())
                .cors(cors -> cors.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        if (properties.requireHttps()) {
            // Probes reach the pod over plain HTTP; everything else goes to HTTPS.
            int httpsPort = properties.httpsPort();
            http.portMapper(ports -> ports.portMapper(new PortMapper() {
                @Override
                public Integer lookupHttpPort(Integer httpsPortOfRequest) {
                    return null;
                }

                @Override
                public Integer lookupHttpsPort(Integer httpPort) {
                    return httpsPort;
                }
            }));
            http.redirectToHttps(https -> https.requestMatchers(new NegatedRequestMatcher(
                    PathPatternRequestMatcher.withDefaults().matcher("/health/**"))));
        }
        return http.build();
    }
}
