package dev.switchboard.ui.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin console's own access check, before any of its pages is rendered: a browser without a session is sent to
 * sign in, a signed-in member gets 403 with the forbidden page. The pages only read through the API, whose endpoints
 * check again; this check keeps the console's markup (which names every admin function) from members.
 */
@Configuration(proxyBeanMethods = false)
class AdminConsole implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException,
                    ServletException {
                Optional<Viewer> viewer = Pages.signedIn();
                if (viewer.isEmpty()) {
                    response.sendRedirect(request.getContextPath() + Pages.SIGN_IN);
                    return false;
                }
                if (!viewer.get().admin()) {
                    request.getRequestDispatcher(Pages.FORBIDDEN).forward(request, response);
                    return false;
                }
                return true;
            }
        }).addPathPatterns(Pages.ADMIN, Pages.ADMIN + "/**");
    }
}
