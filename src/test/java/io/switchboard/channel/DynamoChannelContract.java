package io.switchboard.channel;

import java.nio.file.Path;
import java.util.List;

import io.switchboard.storage.StorageProperties;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.testsupport.DynamoMessages;
import io.switchboard.testsupport.RefuseMarkingSent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channel contract with the chat core and the pipeline's own rows (event keys, turns,
 * deliveries) on DynamoDB (dynalite), each server in a table of its own: a message is
 * kept in DynamoDB the moment it arrives, answered once, and finished after a restart. A
 * channel's test extends this and supplies its rig. Skips with a message when dynalite
 * does not answer, unless CI makes it mandatory.
 */
public abstract class DynamoChannelContract extends ChannelContract {

	/** The table of the server database named last: each server gets its own. */
	private String table;

	private DynamoMessages messages;

	/** A fresh set of the channel's fakes. */
	protected abstract Rig newChannelRig();

	@Override
	protected final Rig newRig() {
		Dynalite.requireOrSkip();
		if (messages == null) {
			messages = new DynamoMessages();
		}
		return newChannelRig();
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

	@Override
	protected Runnable refuseMarkingSent(ConfigurableApplicationContext on) {
		RefuseMarkingSent.refuse();
		return RefuseMarkingSent::lift;
	}

	@Override
	protected int pendingDeliveries(ConfigurableApplicationContext on) {
		return messages.pendingDeliveries(tableOf(on));
	}

	@Override
	protected void pretendTurnsHeldByAKilledNode(ConfigurableApplicationContext on) {
		messages.holdTurns(tableOf(on), "killed-node");
	}

	@Override
	protected int turnsUnderWay(ConfigurableApplicationContext on) {
		return messages.turns(tableOf(on));
	}

	/**
	 * With the chat core on DynamoDB the side store keeps none of the chat path's rows:
	 * its pipeline tables stay empty while messages are answered.
	 */
	@Test
	void theSqlSideStoreKeepsNoneOfTheChatPathsRows() {
		ConfigurableApplicationContext server = contractServer();
		Rig rig = contractRig();
		String user = rig.newUser();
		String text = "Where am I kept " + java.util.UUID.randomUUID();
		rig.deliver(server, rig.message(user, text));
		await().atMost(WAIT).until(() -> rig.answersTo(server, user).size() == 1);
		assertThat(questionsStored(server, text)).isEqualTo(1);

		JdbcClient sql = server.getBean(JdbcClient.class);
		for (String pipelineTable : List.of("inbound_events", "channel_turns", "channel_deliveries", "messages")) {
			assertThat(sql.sql("SELECT COUNT(*) FROM " + pipelineTable).query(Integer.class).single()).as(pipelineTable)
				.isZero();
		}
	}

	private static String tableOf(ConfigurableApplicationContext on) {
		return on.getBean(StorageProperties.class).dynamodb().table();
	}

	@AfterAll
	void closeMessages() {
		RefuseMarkingSent.lift();
		if (messages != null) {
			messages.close();
		}
	}

}
