package io.switchboard.system;

/**
 * The configured database cannot be used, found before anything else touches it: turned
 * by {@link DatabaseFailureAnalyzer} into one line naming the setting and the cause, in
 * place of a connection pool's stack trace.
 */
class DatabaseUnusableException extends RuntimeException {

	private final String action;

	/**
	 * @param description what is wrong, one line naming the setting and the cause
	 * @param action what the operator should do, one line
	 * @param cause the driver's failure, if there was one
	 */
	DatabaseUnusableException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	String action() {
		return action;
	}

}
