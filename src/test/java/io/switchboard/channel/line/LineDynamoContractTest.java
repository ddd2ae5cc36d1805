package io.switchboard.channel.line;

import java.nio.file.Path;
import java.util.List;

import io.switchboard.channel.ChannelContract;
import io.switchboard.storage.StorageProperties;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.testsupport.DynamoMessages;
import org.junit.jupiter.api.AfterAll;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The channel contract on LINE with the chat core on DynamoDB (dynalite): a message is
 * kept in DynamoDB the moment it arrives, answered once, and finished after a restart.
 */
class LineDynamoContractTest extends ChannelContract {

	/** The table of the SQL database named last: each database gets its own. */
	private String table;

	private DynamoMessages messages;

	@Override
	protected Rig newRig() {
		Dynalite.requireOrSkip();
		if (messages == null) {
			messages = new DynamoMessages();
		}
		return new LineRig();
	}

	@Override
	protected String database(Path folder, String name) {
		table = Dynalite.newTable();
		return super.database(folder, name);
	}

	@Override
	protected List<String> databaseSettings() {
		return Dynalite.settings(table);
	}

	@Override
	protected int questionsStored(ConfigurableApplicationContext on, String text) {
		return messages.questionsStored(tableOf(on), text);
	}

	@Override
	protected String answerState(ConfigurableApplicationContext on, String text) {
		return messages.answerState(tableOf(on), text);
	}

	private static String tableOf(ConfigurableApplicationContext on) {
		return on.getBean(StorageProperties.class).dynamodb().table();
	}

	@AfterAll
	void closeMessages() {
		if (messages != null) {
			messages.close();
		}
	}

}
