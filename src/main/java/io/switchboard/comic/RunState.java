package io.switchboard.comic;

/**
 * Where a comic that makes itself ({@code /comic <idea>}) is: its steps run in the
 * background with the defaults until the strip is sent or a step fails.
 */
public enum RunState {

	RUNNING, FINISHED, FAILED

}
