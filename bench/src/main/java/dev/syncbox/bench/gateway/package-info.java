/** What the gateway load generators share: a signed-in account and its HTTP plumbing. */
package dev.syncbox.bench.gateway;
