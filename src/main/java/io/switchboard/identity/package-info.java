/**
 * One person on every platform: {@code /link} gives a short one-time code that, sent from
 * another platform, joins that platform's identity to the same user (sessions, search,
 * memory, usage and limits shared); {@code /unlink} gives the identity back.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity links")
package io.switchboard.identity;
