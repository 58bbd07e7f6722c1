/** deploy/k8s checked offline: kustomize's rendering, fabric8's typed Kubernetes model, and the references between objects. */
package dev.syncbox.system.kubernetes;
