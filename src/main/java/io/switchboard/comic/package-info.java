/**
 * The comic studio: an idea becomes a four-panel comic in one guided flow — a story
 * written by a chat model as validated structured output, image prompts that keep
 * characters and style consistent, one image job per panel, and a strip composed with
 * captions and speech balloons in any script. See {@code API.md} beside this file.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Comic studio")
package io.switchboard.comic;
