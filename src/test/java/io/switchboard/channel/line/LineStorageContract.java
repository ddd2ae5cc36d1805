package io.switchboard.channel.line;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.MessagePart;
import io.switchboard.assistant.Reply;
import io.switchboard.channel.Outbound;
import io.switchboard.channel.Outgoing;
import io.switchboard.channel.Sent;
import io.switchboard.fakes.FakeLine;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import io.switchboard.storage.Images;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LINE channel's tables, on every supported database: each dialect's test extends
 * this and points the application at its database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class LineStorageContract {

	/** Shared by both dialects' test classes, so never closed before the JVM ends. */
	static final FakeLine line = FakeLine.start("storage-secret", "storage-token");

	@DynamicPropertySource
	static void lineChannel(DynamicPropertyRegistry registry) {
		registry.add("switchboard.line.channel-secret", line::channelSecret);
		registry.add("switchboard.line.channel-access-token", line::accessToken);
		registry.add("switchboard.line.api-base-url", () -> line.uri().toString());
		registry.add("switchboard.line.data-api-base-url", () -> line.uri().toString());
	}

	@Autowired
	PendingPhotos photos;

	@Autowired
	LineRenderer renderer;

	@Autowired
	MediaStore media;

	@Autowired
	JdbcClient jdbc;

	static String id() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void aPhotoWaitsForItsSendersNextQuestionInItsChatOnly() throws IOException {
		MediaRef first = media.store(Images.png(3, 2));
		MediaRef second = media.store(Images.png(4, 2));
		String user = "U" + id();
		String group = "C" + id();
		String firstMessage = id();

		photos.keep(user, user, firstMessage, first);
		photos.keep(user, user, firstMessage, first); // LINE's redelivery of the same
														// message
		photos.keep(user, user, id(), second);
		photos.keep(user, group, id(), second);

		List<MessagePart.Image> waiting = photos.waiting(user, user);
		assertThat(waiting).extracting(MessagePart.Image::sha256).containsExactly(first.sha256(), second.sha256());
		assertThat(waiting.getFirst().width()).isEqualTo(3);
		assertThat(photos.waiting("U" + id(), user)).isEmpty();

		photos.clear(user, user);
		assertThat(photos.waiting(user, user)).isEmpty();
		assertThat(photos.waiting(user, group)).hasSize(1);
	}

	@Test
	void atMostFourPhotosGoWithAQuestionTheNewestOnes() throws IOException {
		String user = "U" + id();
		for (int i = 1; i <= 6; i++) {
			photos.keep(user, user, id(), media.store(Images.png(i, 1)));
		}
		assertThat(photos.waiting(user, user)).extracting(MessagePart.Image::width).containsExactly(3, 4, 5, 6);
	}

	@Test
	void anUnsentPhotoIsForgotten() throws IOException {
		String user = "U" + id();
		String message = id();
		photos.keep(user, user, message, media.store(Images.png(5, 5)));
		assertThat(photos.forget(message)).isTrue();
		assertThat(photos.forget(message)).isFalse();
		assertThat(photos.waiting(user, user)).isEmpty();
	}

	@Test
	void aLongDeliveryGoesInCallsOfFiveAndARepeatGoesOnFromWhereItStopped() {
		String chat = "U" + id();
		List<Reply> replies = new java.util.ArrayList<>();
		for (int i = 0; i < 7; i++) {
			replies.add(Reply.of("part " + i));
		}
		java.util.concurrent.atomic.AtomicReference<LineRefs> kept = new java.util.concurrent.atomic.AtomicReference<>();
		long delivery = System.nanoTime();

		Sent<LineRefs> sent = renderer.send(new Outgoing<>(delivery, new Outbound.Notices(replies),
				LineAddress.push(chat, chat), null, null, 0, kept::set));

		assertThat(line.sentTo(chat)).hasSize(2);
		assertThat(line.sentTo(chat).get(0).texts()).hasSize(5);
		assertThat(line.sentTo(chat).get(1).texts()).containsExactly("part 5", "part 6");
		assertThat(kept.get().calls()).isEqualTo(1);
		assertThat(sent.refs().calls()).isEqualTo(2);

		// repeated from the checkpoint after the first call (as if cut short there): only
		// the second call goes again, by the same retry key, which LINE has taken already
		renderer.send(new Outgoing<>(delivery, new Outbound.Notices(replies), LineAddress.push(chat, chat), kept.get(),
				null, 1, kept::set));
		assertThat(line.sentTo(chat)).hasSize(2);
		List<String> keys = line.requestsTo("/v2/bot/message/push")
			.stream()
			.filter(request -> chat.equals(request.json().path("to").asText()))
			.map(request -> request.header("X-Line-Retry-Key"))
			.toList();
		assertThat(keys).hasSize(3).doesNotContainNull();
		assertThat(keys.get(2)).isEqualTo(keys.get(1));
	}

	@Test
	void aReplyTokenIsUsedForTheFirstCallWhileFresh() {
		String chat = "U" + id();
		String token = line.replyToken(chat);

		Sent<LineRefs> sent = renderer.send(new Outgoing<>(1L, new Outbound.Notices(List.of(Reply.of("hello"))),
				new LineAddress(chat, chat, token, Instant.now().plusSeconds(30).toEpochMilli()), null, null, 0,
				refs -> {
				}));

		assertThat(line.sentTo(chat)).singleElement().satisfies(one -> assertThat(one.how()).isEqualTo("reply"));
		assertThat(sent.refs().replyTried()).isTrue();
	}

}
