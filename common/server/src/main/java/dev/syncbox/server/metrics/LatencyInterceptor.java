package dev.syncbox.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/** Records the {@link Latency} timers: from the handler's start to the end of its response. */
final class LatencyInterceptor implements HandlerInterceptor {

    private static final String SAMPLE = LatencyInterceptor.class.getName() + ".sample";

    private final MeterRegistry registry;

    LatencyInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(Latency.class)) {
            request.setAttribute(SAMPLE, Timer.start(registry));
        }
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(request.getAttribute(SAMPLE) instanceof Timer.Sample sample)
                || !(handler instanceof HandlerMethod method)) {
            return;
        }
        request.removeAttribute(SAMPLE);
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        sample.stop(Timer.builder(method.getMethodAnnotation(Latency.class).value())
                .description("Time from a request's start to the end of its response, by route and outcome")
                .tag("route", route == null ? "unknown" : route.toString())
                .tag("method", request.getMethod())
                .tag("outcome", outcome(ex == null ? response.getStatus() : 500))
                .register(registry));
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "server_error";
        }
        return status >= 400 ? "client_error" : "success";
    }
}
