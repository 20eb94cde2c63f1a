package dev.switchboard.ui.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web app's pages run under a stricter Content-Security-Policy than the server's default: no inline style either
 * ({@code 'unsafe-inline'} is dropped from {@code style-src}; the API documentation's page needs it, the app does not).
 * The header is already written (security headers are written first, for every response), so it is narrowed here.

 */
@Configuration(proxyBeanMethods = false)
class StrictPagePolicy implements WebMvcConfigurer {

    static final String HEADER = "Content-Security-Policy";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (handler instanceof HandlerMethod method && method.getBeanType().getPackageName().equals(Pages.class.getPackageName())) {
                    String policy = response.getHeader(HEADER);
                    if (policy != null) {
                        response.setHeader(HEADER, narrowed(policy));
                    }
                }
                return true;
            }
        });
    }

    /** The policy with {@code 'unsafe-inline'} taken out of {@code style-src}. */
    static String narrowed(String policy) {
        return policy.replaceAll("(style-src[^;]*?)\\s+'unsafe-inline'", "$1");
    }
}
