package dev.syncbox.system;

import java.util.List;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Test only: wraps each service's data source in datasource-proxy's {@link ProxyDataSource}, which
 * hands every statement to {@link SqlRecorder} (which keeps nothing unless a test switches it on).
 * The pool stays reachable through {@code unwrap}, as Spring Boot's pool metrics and health look for
 * it ({@code DataSourceUnwrapper}). Listed in this module's {@code AutoConfiguration.imports}, so it
 * applies to the contexts {@link RunningSystem} starts.
 */
@AutoConfiguration
class SqlCaptureAutoConfiguration {

    @Bean
    static BeanPostProcessor sqlCapturingDataSources(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof DataSource dataSource) || bean instanceof ProxyDataSource) {
                    return bean;
                }
                String service = environment.getProperty("spring.application.name", beanName);
                return ProxyDataSourceBuilder.create(service, dataSource)
                        .listener(new Recording(service))
                        .build();
            }
        };
    }

    /** Hands each statement's text to the recorder, before it runs, on the thread that runs it. */
    private record Recording(String service) implements QueryExecutionListener {

        @Override
        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            for (QueryInfo query : queries) {
                SqlRecorder.record(service, query.getQuery());
            }
        }

        @Override
        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {}
    }
}
