/** The web app's upload and thumbnail paths against limits measured beside them, through the same gateway. */
package dev.syncbox.bench.web;
