package io.switchboard.media;

import java.time.Clock;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Image bytes in the SQL database's {@code media} table. */
@Repository
@ConditionalOnExpression("'${switchboard.storage.s3.bucket:}'.isBlank()")
class JdbcMediaBytes implements MediaBytes {

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcMediaBytes(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void save(MediaRef ref, byte[] bytes) {
		jdbc.sql("""
				INSERT INTO media (sha256, mime_type, size_bytes, width, height, bytes, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""")
			.params(ref.sha256(), ref.mimeType(), ref.sizeBytes(), ref.width(), ref.height(), bytes, clock.millis())
			.update();
	}

	@Override
	public Optional<MediaRef> find(String sha256) {
		return jdbc.sql("SELECT sha256, mime_type, size_bytes, width, height FROM media WHERE sha256 = ?")
			.param(sha256)
			.query((row, i) -> new MediaRef(row.getString(1), row.getString(2), row.getLong(3), row.getInt(4),
					row.getInt(5)))
			.optional();
	}

	@Override
	public Optional<Media> load(String sha256) {
		return jdbc.sql("SELECT sha256, mime_type, size_bytes, width, height, bytes FROM media WHERE sha256 = ?")
			.param(sha256)
			.query((row,
					i) -> new Media(new MediaRef(row.getString(1), row.getString(2), row.getLong(3), row.getInt(4),
							row.getInt(5)), row.getBytes(6)))
			.optional();
	}

}
