package io.switchboard.storage;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The S3 client and presigner, when {@code switchboard.storage.s3.bucket} names a bucket.
 * Credentials come from the SDK's default chain, as for DynamoDB.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${switchboard.storage.s3.bucket:}'.isBlank()")
class S3Configuration {

	@Bean(destroyMethod = "close")
	S3Client s3Client(StorageProperties properties) {
		StorageProperties.S3 s3 = properties.s3();
		S3ClientBuilder builder = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.of(s3.region()))
			.forcePathStyle(s3.pathStyle())
			// checksums only where S3 requires them: S3-compatible servers often do not
			// take the SDK's newer checksum trailers, and the image's sha256 is its key
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (s3.endpoint() != null) {
			builder.endpointOverride(s3.endpoint());
		}
		return builder.build();
	}

	@Bean(destroyMethod = "close")
	S3Presigner s3Presigner(StorageProperties properties) {
		StorageProperties.S3 s3 = properties.s3();
		S3Presigner.Builder builder = S3Presigner.builder()
			.region(Region.of(s3.region()))
			.serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
				.pathStyleAccessEnabled(s3.pathStyle())
				.build());
		if (s3.endpoint() != null) {
			builder.endpointOverride(s3.endpoint());
		}
		return builder.build();
	}

}
