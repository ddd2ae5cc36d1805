/**
 * System: what every module shares but none owns: the clock, start-up checks of the
 * storage, security headers and observability settings.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package io.switchboard.system;
