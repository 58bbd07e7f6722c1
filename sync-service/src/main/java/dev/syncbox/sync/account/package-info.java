/** Registration and login: users, their root namespace, and a bearer token per device. */
package dev.syncbox.sync.account;
