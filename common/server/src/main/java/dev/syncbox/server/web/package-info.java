/** HTTP edge shared by the services: problem details, the authenticated caller as an argument. */
package dev.syncbox.server.web;
