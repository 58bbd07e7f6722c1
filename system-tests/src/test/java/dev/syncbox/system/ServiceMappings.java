package dev.syncbox.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every method and path a running service maps, read from its own request mappings, so that a test built on them
 * covers an endpoint added later without anyone adding it to a table.
 */
final class ServiceMappings {

    /** One method on one path pattern, with the handler behind it. */
    record Mapping(String method, String pattern, HandlerMethod handler) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private ServiceMappings() {}

    static List<Mapping> of(ConfigurableApplicationContext service) {
        List<Mapping> found = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping :
                service.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            if (mapping.getClass() != RequestMappingHandlerMapping.class) {
                continue;
            }
            mapping.getHandlerMethods().forEach((info, handler) -> {
                var methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    for (RequestMethod method : methods.isEmpty() ? List.of(RequestMethod.GET) : methods) {
                        found.add(new Mapping(method.name(), pattern, handler));
                    }
                }
            });
        }
        return found.stream()
                .distinct()
                .sorted(Comparator.comparing(Mapping::toString))
                .toList();
    }
}
