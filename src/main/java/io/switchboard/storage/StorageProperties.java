package io.switchboard.storage;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bound from {@code switchboard.storage.*}, checked at start-up: a missing or
 * contradictory setting stops the server with a message that names the property.
 *
 * @param type {@code jdbc} (the default) or {@code dynamodb}
 * @param dynamodb the table, used when {@code type} is {@code dynamodb}
 * @param s3 the bucket for images; when it names a bucket, images go to S3 instead of the
 * SQL database
 */
@ConfigurationProperties("switchboard.storage")
public record StorageProperties(@DefaultValue("jdbc") StorageType type, @DefaultValue Dynamo dynamodb,
		@DefaultValue S3 s3) {

	public StorageProperties {
		if (type == StorageType.DYNAMODB) {
			if (dynamodb.table() == null || dynamodb.table().isBlank()) {
				throw new IllegalArgumentException(
						"switchboard.storage.dynamodb.table must name a table when switchboard.storage.type=dynamodb");
			}
			if (dynamodb.region() == null || dynamodb.region().isBlank()) {
				throw new IllegalArgumentException("switchboard.storage.dynamodb.region must be set (e.g. us-east-1)"
						+ " when switchboard.storage.type=dynamodb");
			}
			if (!dynamodb.table().matches("[a-zA-Z0-9_.-]{3,255}")) {
				throw new IllegalArgumentException("switchboard.storage.dynamodb.table \"" + dynamodb.table()
						+ "\" is not a valid DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, _ . -)");
			}
		}
		if (s3.bucket() != null && !s3.bucket().isBlank()) {
			if (type != StorageType.DYNAMODB) {
				// the SQL schema's image jobs and comics name their images by foreign key
				// into the SQL media table, which S3 leaves empty
				throw new IllegalArgumentException(
						"switchboard.storage.s3.bucket needs switchboard.storage.type=dynamodb;"
								+ " with the SQL store images stay in the SQL database");
			}
			if (s3.region() == null || s3.region().isBlank()) {
				throw new IllegalArgumentException(
						"switchboard.storage.s3.region must be set when switchboard.storage.s3.bucket is");
			}
			if (!s3.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
				throw new IllegalArgumentException("switchboard.storage.s3.bucket \"" + s3.bucket()
						+ "\" is not a valid S3 bucket name (3 to 63 of a-z, 0-9, . -)");
			}
			if (s3.linkTtl().isNegative() || s3.linkTtl().isZero() || s3.linkTtl().compareTo(Duration.ofDays(7)) > 0) {
				throw new IllegalArgumentException("switchboard.storage.s3.link-ttl must be between 1s and 7d (S3's"
						+ " limit for a presigned link), not " + s3.linkTtl());
			}
		}
	}

	/**
	 * @param table the table's name
	 * @param region the AWS region
	 * @param endpoint another endpoint than AWS's (dynalite, a VPC endpoint), or
	 * {@code null}
	 * @param createTable whether to create the table with its indexes when it is missing
	 * (for development; in AWS the deployment template makes it)
	 */
	public record Dynamo(@DefaultValue("switchboard") String table, String region, URI endpoint,
			@DefaultValue("true") boolean createTable) {
	}

	/**
	 * @param bucket the bucket images go to, or {@code null} to keep them in SQL
	 * @param region the bucket's AWS region
	 * @param endpoint another endpoint than AWS's (an S3-compatible server), or
	 * {@code null}
	 * @param pathStyle whether the bucket goes in the path rather than the host name
	 * (most S3-compatible servers want this)
	 * @param linkTtl how long an image link stays valid
	 */
	public record S3(String bucket, String region, URI endpoint, @DefaultValue("false") boolean pathStyle,
			@DefaultValue("1h") Duration linkTtl) {

		public boolean enabled() {
			return bucket != null && !bucket.isBlank();
		}

	}

	public boolean dynamo() {
		return type == StorageType.DYNAMODB;
	}

}
