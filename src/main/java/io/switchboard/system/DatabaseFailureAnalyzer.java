package io.switchboard.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Start-up failures of the database as Spring Boot reports a failure it understands: the
 * description and the action, without a stack trace. Registered in
 * {@code META-INF/spring.factories}; first in line, since the same failure also reaches
 * Spring's generic analyzers wrapped in bean creation errors.
 */
class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnusableException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnusableException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
