package dev.syncbox.system.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a pod reads from ConfigMaps and Secrets: volumes, projected volumes, envFrom and env valueFrom. */
record ConfigReferences(String from, Class<? extends HasMetadata> kind, String name, String key, boolean optional) {

    static List<ConfigReferences> of(String owner, PodSpec pod) {
        List<ConfigReferences> references = new ArrayList<>();
        for (Volume volume : pod.getVolumes()) {
            String from = owner + " volume " + volume.getName();
            if (volume.getConfigMap() != null) {
                references.add(configMap(
                        from,
                        volume.getConfigMap().getName(),
                        null,
                        volume.getConfigMap().getOptional()));
            }
            if (volume.getSecret() != null) {
                references.add(secret(
                        from,
                        volume.getSecret().getSecretName(),
                        null,
                        volume.getSecret().getOptional()));
            }
            if (volume.getProjected() != null) {
                for (VolumeProjection source : volume.getProjected().getSources()) {
                    if (source.getConfigMap() != null) {
                        var map = source.getConfigMap();
                        references.add(configMap(from, map.getName(), null, map.getOptional()));
                    }
                    if (source.getSecret() != null) {
                        references.add(secret(
                                from,
                                source.getSecret().getName(),
                                null,
                                source.getSecret().getOptional()));
                    }
                }
            }
        }
        for (Container container : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .toList()) {
            String from = owner + " container " + container.getName();
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getConfigMapRef() != null) {
                    var map = source.getConfigMapRef();
                    references.add(configMap(from, map.getName(), null, map.getOptional()));
                }
                if (source.getSecretRef() != null) {
                    var secret = source.getSecretRef();
                    references.add(secret(from, secret.getName(), null, secret.getOptional()));
                }
            }
            for (EnvVar env : container.getEnv()) {
                var value = env.getValueFrom();
                if (value != null && value.getConfigMapKeyRef() != null) {
                    var map = value.getConfigMapKeyRef();
                    references.add(configMap(from, map.getName(), map.getKey(), map.getOptional()));
                }
                if (value != null && value.getSecretKeyRef() != null) {
                    var secret = value.getSecretKeyRef();
                    references.add(secret(from, secret.getName(), secret.getKey(), secret.getOptional()));
                }
            }
        }
        return references;
    }

    private static ConfigReferences configMap(String from, String name, String key, Boolean optional) {
        return new ConfigReferences(from, ConfigMap.class, name, key, Boolean.TRUE.equals(optional));
    }

    private static ConfigReferences secret(String from, String name, String key, Boolean optional) {
        return new ConfigReferences(from, Secret.class, name, key, Boolean.TRUE.equals(optional));
    }
}
