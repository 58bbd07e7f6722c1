package dev.syncbox.conflict.engine;

import dev.syncbox.server.SyncboxServerConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Imported by each service that commits versions: the conflict engine and the server commons under it. */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = ConflictEngineConfiguration.class)
@Import(SyncboxServerConfiguration.class)
public class ConflictEngineConfiguration {}
