package io.switchboard.channel;

import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** One SQL transaction per unit: the pipeline's rows commit with the chat core's. */
@Component
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcPipelineTransactions implements PipelineTransactions {

	private final TransactionTemplate transactions;

	JdbcPipelineTransactions(TransactionTemplate transactions) {
		this.transactions = transactions;
	}

	@Override
	public <T> T inOne(Supplier<T> step) {
		return transactions.execute(status -> step.get());
	}

}
