/**
 * System: what every module shares but none owns: the clock, HMAC signatures for the
 * links the server hands out, the SQLite set-up (its folder made before the pool opens
 * it, its errors translated, db-scheduler's dialect for it), and the one-line start-up
 * failures for a database that is missing, unreachable, refuses the login or cannot be
 * written.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package io.switchboard.system;
