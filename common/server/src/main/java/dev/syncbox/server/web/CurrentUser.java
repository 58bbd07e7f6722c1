package dev.syncbox.server.web;

/**
 * The authenticated caller of a request: the user and the device its token was issued to. Declare it
 * as a controller method parameter.
 */
public record CurrentUser(long userId, String deviceId) {}
