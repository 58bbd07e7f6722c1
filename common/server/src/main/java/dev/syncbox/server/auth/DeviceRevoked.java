package dev.syncbox.server.auth;

/** A device's tokens stopped being valid (published inside the revoking transaction). */
public record DeviceRevoked(String deviceId) {}
