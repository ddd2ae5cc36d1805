/**
 * Conversations: users and their platform identities, sessions (public or private, with a
 * model and a system prompt), topics and messages, with the rules of who may do what.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Conversations")
package io.switchboard.conversation;
