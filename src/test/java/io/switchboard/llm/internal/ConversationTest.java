package io.switchboard.llm.internal;

import java.util.List;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationTest {

	@Test
	void putsSystemMessagesFirstAndKeepsAlternatingTurnsAsTheyAre() {
		var messages = Conversation.toLangChain4j(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"),
				ChatMessage.system("Be brief."), ChatMessage.user("Bye")));

		assertThat(messages).containsExactly(SystemMessage.from("Be brief."), UserMessage.from("Hi"),
				AiMessage.from("Hello"), UserMessage.from("Bye"));
	}

	@Test
	void dropsLeadingAssistantTurnsAndMergesRepeatedRoles() {
		var messages = Conversation.toLangChain4j(List.of(ChatMessage.assistant("Welcome"), ChatMessage.user("a"),
				ChatMessage.user("b"), ChatMessage.assistant("c"), ChatMessage.assistant("d")));

		assertThat(messages).containsExactly(UserMessage.from(TextContent.from("a"), TextContent.from("b")),
				AiMessage.from("c\n\nd"));
	}

	@Test
	void dropsBlankTextAndMessagesLeftEmpty() {
		var messages = Conversation.toLangChain4j(List.of(ChatMessage.system(" "), ChatMessage.user("a"),
				ChatMessage.assistant(""), ChatMessage.user("  \n"), ChatMessage.user("b")));

		assertThat(messages).containsExactly(UserMessage.from(TextContent.from("a"), TextContent.from("b")));
	}

	@Test
	void sendsUserImagesAsBase64AndDropsImagesInAssistantTurns() {
		byte[] png = { (byte) 0x89, 'P', 'N', 'G' };
		var messages = Conversation.toLangChain4j(List.of(
				new ChatMessage(Role.USER,
						List.of(new ContentPart.Text("see"), new ContentPart.Image("image/png", png))),
				new ChatMessage(Role.ASSISTANT,
						List.of(new ContentPart.Text("seen"), new ContentPart.Image("image/png", png)))));

		UserMessage user = (UserMessage) messages.get(0);
		ImageContent image = (ImageContent) user.contents().get(1);
		assertThat(image.image().base64Data()).isEqualTo("iVBORw==");
		assertThat(image.image().mimeType()).isEqualTo("image/png");
		assertThat(messages.get(1)).isEqualTo(AiMessage.from("seen"));
	}

	@Test
	void aConversationWithoutAUserTurnCannotBeSent() {
		assertThatThrownBy(() -> Conversation
			.toLangChain4j(List.of(ChatMessage.system("Be brief."), ChatMessage.assistant("Hello"))))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
