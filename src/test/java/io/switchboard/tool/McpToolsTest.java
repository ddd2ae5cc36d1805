package io.switchboard.tool;

import java.nio.file.Path;
import java.util.UUID;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.McpTestServer;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP servers' tools in a conversation: a real server of the official SDK over stdio (its
 * own process) and over Streamable HTTP (with its key in a header), chosen per session.
 */
@IntegrationTest
class McpToolsTest {

	static final FakeOpenAi openai = FakeOpenAi.start();

	static final McpTestServer http = McpTestServer.startHttp("mcp-key-123");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.fake.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt.provider", () -> "fake");
		registry.add("switchboard.llm.default-model", () -> "gpt");
		// stdio: this JVM's java with the test class path runs the SDK's server
		registry.add("switchboard.tools.mcp.calc.command[0]",
				() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
		registry.add("switchboard.tools.mcp.calc.command[1]", () -> "-cp");
		registry.add("switchboard.tools.mcp.calc.command[2]", () -> System.getProperty("java.class.path"));
		registry.add("switchboard.tools.mcp.calc.command[3]", () -> McpTestServer.class.getName());
		registry.add("switchboard.tools.mcp.calc.enabled-by-default", () -> "true");
		registry.add("switchboard.tools.mcp.calc.users", () -> "false");
		registry.add("switchboard.tools.mcp.calc.description", () -> "arithmetic");
		registry.add("switchboard.tools.mcp.web.url", http::url);
		registry.add("switchboard.tools.mcp.web.headers.X-Api-Key", () -> "mcp-key-123");
		registry.add("switchboard.tools.tool-timeout", () -> "20s");
	}

	@AfterAll
	static void stop() {
		openai.close();
		http.close();
	}

	@Autowired
	Assistant assistant;

	final PlatformUserId me = new PlatformUserId("line", "U" + UUID.randomUUID());

	final RecordingSink sink = new RecordingSink();

	@BeforeEach
	void reset() {
		openai.reset();
	}

	StoredMessage ask(String text) {
		Received.Asked asked = (Received.Asked) assistant
			.receive(InboundMessage.text(me, "Tester", Place.direct("line"), text));
		return assistant.answer(asked.exchange().answerId(), "line", sink).orElseThrow();
	}

	Reply command(String text) {
		Received.Replied replied = (Received.Replied) assistant
			.receive(InboundMessage.text(me, "Tester", Place.direct("line"), text));
		return replied.replies().getFirst();
	}

	@Test
	void aStdioServersToolIsUsedInAConversation() {
		openai.callToolNext("calc__add", "{\"a\":2,\"b\":40}").reply("The sum is 42.");

		StoredMessage answer = ask("what is 2 + 40?");

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		var request = openai.requests().getLast().json();
		assertThat(openai.toolNames(request)).contains("calc__add", "calc__secret_word", "calc__fail")
			.doesNotContain("web__secret_word");
		assertThat(openai.toolResults(request)).singleElement()
			.satisfies(result -> assertThat(result.text()).isEqualTo("42"));
		assertThat(sink.of(ReplyEvent.ToolUsed.class)).singleElement()
			.satisfies(used -> assertThat(used.tool()).isEqualTo("calc__add"));
	}

	@Test
	void anHttpServerIsTurnedOnPerSessionAndItsToolUsedWithItsKey() {
		ask("hello");
		assertThat(command("/session tools").text()).contains("`calc` on", "`web` off", "set by the admin");

		assertThat(command("/session tools on web").text()).contains("now uses the tool server `web`");
		openai.callToolNext("web__secret_word", "{}").reply("The word is out.");
		ask("what is the secret word?");

		assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).isEqualTo(McpTestServer.SECRET_WORD));

		command("/session tools off web");
		ask("and now?");
		assertThat(openai.toolNames(openai.lastRequestJson())).doesNotContain("web__secret_word");
	}

	@Test
	void aToolsErrorResultReachesTheModelAsAnError() {
		openai.callToolNext("calc__fail", "{}").reply("It failed.");

		ask("try failing");

		assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("out of ink"));
		assertThat(sink.of(ReplyEvent.ToolUsed.class)).singleElement()
			.satisfies(used -> assertThat(used.error()).isTrue());
	}

	@Test
	void aToolWithSideEffectsRunsOnlyAfterTheUserSaysYes() {
		ask("hello");
		command("/session tools on web");
		openai.callToolNext("web__write_note", "{\"text\":\"buy milk\"}").reply("Noted: buy milk.");
		int before = McpTestServer.notes().size();

		StoredMessage asking = ask("note that I must buy milk");

		// the answer ends with the question; nothing ran, nothing waits
		assertThat(asking.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(asking.text()).contains("Waiting for your yes to run web__write_note");
		assertThat(McpTestServer.notes()).hasSize(before);
		Reply question = assistant.confirmationAsked(asking.id()).orElseThrow();
		assertThat(question.text()).contains("web__write_note", "buy milk");
		assertThat(question.actions()).extracting(Reply.Action::label).containsExactly("Run it", "Don't run it");
		String yes = question.actions().getFirst().command();

		// someone else's press decides nothing
		PlatformUserId stranger = new PlatformUserId("line", "U" + UUID.randomUUID());
		Received.Replied refused = (Received.Replied) assistant
			.receive(InboundMessage.text(stranger, "Stranger", Place.direct("line"), yes));
		assertThat(refused.replies().getFirst().text()).contains("There is no tool question");

		Received.Asked carried = (Received.Asked) assistant
			.receive(InboundMessage.text(me, "Tester", Place.direct("line"), yes));
		StoredMessage answer = assistant.answer(carried.exchange().answerId(), "line", sink).orElseThrow();

		assertThat(answer.text()).isEqualTo("Noted: buy milk.");
		assertThat(McpTestServer.notes()).hasSize(before + 1).last().isEqualTo("buy milk");
		assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).isEqualTo("noted"));
		assertThat(assistant.confirmationAsked(asking.id())).isEmpty();
		// a second press is told so and runs nothing
		assertThat(command(yes).text()).contains("answered already");
		assertThat(McpTestServer.notes()).hasSize(before + 1);
	}

	@Test
	void aDeclinedToolDoesNotRunAndTheModelIsToldSo() {
		ask("hello");
		command("/session tools on web");
		openai.callToolNext("web__write_note", "{\"text\":\"sell the car\"}").reply("All right, I won't.");
		int before = McpTestServer.notes().size();
		StoredMessage asking = ask("note that I sell the car");
		String no = assistant.confirmationAsked(asking.id()).orElseThrow().actions().get(1).command();

		Received.Asked carried = (Received.Asked) assistant
			.receive(InboundMessage.text(me, "Tester", Place.direct("line"), no));
		StoredMessage answer = assistant.answer(carried.exchange().answerId(), "line", sink).orElseThrow();

		assertThat(answer.text()).isEqualTo("All right, I won't.");
		assertThat(McpTestServer.notes()).hasSize(before);
		assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("declined"));
		assertThat(command("/tool confirm").text()).contains("Usage");
	}

	@Test
	void badToolServerChoicesAreRefusedAndChangeNothing() {
		ask("hello");
		assertThat(command("/session tools on nosuch").text()).contains("There is no tool server `nosuch`");
		assertThat(command("/session tools off calc").text()).contains("set by the admin");
		assertThat(command("/session tools sideways").text()).contains("Usage");
		assertThat(command("/session tools").text()).contains("`calc` on", "`web` off");
	}

}
