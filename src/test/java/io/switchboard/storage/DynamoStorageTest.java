package io.switchboard.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.switchboard.fakes.FakeS3;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;
import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage contract with the chat core on DynamoDB (dynalite), in a fresh table, and
 * images on S3 (a fake of S3's API, path-style). Skips with a message when dynalite does
 * not answer, unless CI makes it mandatory.
 */
class DynamoStorageTest extends StorageContract {

	static final FakeS3 S3 = FakeS3.start("switchboard-media");

	@Autowired
	MediaLinks links;

	@BeforeAll
	static void requireDynamo() {
		Dynalite.requireOrSkip();
	}

	@AfterAll
	static void stopS3() {
		S3.close();
	}

	@DynamicPropertySource
	static void dynamo(DynamicPropertyRegistry registry) {
		String table = Dynalite.newTable();
		registry.add("switchboard.storage.type", () -> "dynamodb");
		registry.add("switchboard.storage.dynamodb.table", () -> table);
		registry.add("switchboard.storage.dynamodb.region", () -> "us-east-1");
		registry.add("switchboard.storage.dynamodb.endpoint", Dynalite.ENDPOINT::toString);
		registry.add("switchboard.storage.s3.bucket", () -> "switchboard-media");
		registry.add("switchboard.storage.s3.region", () -> "us-east-1");
		registry.add("switchboard.storage.s3.endpoint", () -> S3.uri().toString());
		registry.add("switchboard.storage.s3.path-style", () -> "true");
		registry.add("switchboard.storage.s3.link-ttl", () -> "10m");
	}

	@Test
	void imagesGoToS3UnderTheirHashAndPlatformsGetExpiringPresignedLinks() throws Exception {
		MediaRef ref = media.store(Images.png(4, 6));
		FakeS3.StoredObject object = S3.objects().get("media/" + ref.sha256());
		assertThat(object.contentType()).isEqualTo("image/png");
		assertThat(object.metadata()).containsEntry("width", "4").containsEntry("height", "6");
		assertThat(media.find(ref.sha256())).hasValueSatisfying(found -> {
			assertThat(found.width()).isEqualTo(4);
			assertThat(found.height()).isEqualTo(6);
		});

		URI link = links.publicUrl(ref.sha256());
		assertThat(link.toString()).startsWith(S3.uri() + "/switchboard-media/media/" + ref.sha256())
			.contains("X-Amz-Signature=")
			.contains("X-Amz-Expires=600");
		assertThat(fetch(link).body()).isEqualTo(Images.png(4, 6));
		assertThat(fetch(URI.create(S3.uri() + "/switchboard-media/media/" + ref.sha256())).statusCode())
			.as("an unsigned link")
			.isEqualTo(403);
		assertThat(media.find("0".repeat(64))).isEmpty();
		assertThat(media.load("../etc/passwd")).isEmpty();
	}

	private static HttpResponse<byte[]> fetch(URI link) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
		}
	}

}
