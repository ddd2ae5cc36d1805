package io.switchboard.channel.discord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the comics to post on Discord, which must hold on every supported
 * database: a comic is written down once, one poster at a time holds it, a failed post is
 * tried again, a sent one never, and old unsent ones are given up.
 */
abstract class ComicPostsContract {

	static final Duration HOLD = Duration.ofMinutes(2);

	final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

	ComicPosts posts;

	abstract DataSource dataSource();

	@BeforeEach
	void posts() {
		posts = new ComicPosts(JdbcClient.create(dataSource()), clock);
	}

	static ComicPosts.Post finished(long comic) {
		return new ComicPosts.Post(comic, "4242", 1234567890123456789L, false, "Nabi the Barista", "ab".repeat(32),
				null);
	}

	@Test
	void aComicIsWrittenDownOnceAndReadBackAsItWas() {
		ComicPosts.Post post = finished(1);
		ComicPosts.Post failed = new ComicPosts.Post(2, "4243", 0, true, null, null, "No story, twice.");

		assertThat(posts.add(post)).isTrue();
		assertThat(posts.add(new ComicPosts.Post(1, "other", 1, true, "Another", null, null))).isFalse();
		assertThat(posts.add(failed)).isTrue();

		assertThat(posts.find(1)).contains(post);
		assertThat(posts.find(2)).hasValueSatisfying(found -> {
			assertThat(found).isEqualTo(failed);
			assertThat(found.finished()).isFalse();
		});
		assertThat(post.finished()).isTrue();
		assertThat(posts.find(3)).isEmpty();
		assertThat(posts.unsent(clock.instant(), 10)).extracting(ComicPosts.Post::comicId).containsExactly(1L, 2L);
	}

	@Test
	void aClaimedComicIsNotClaimedAgainUntilItsHoldRunsOutOrItIsReleased() {
		posts.add(finished(1));
		posts.add(finished(2));

		assertThat(posts.claim(1, HOLD)).isTrue();
		assertThat(posts.claim(1, HOLD)).isFalse();
		assertThat(posts.unsent(clock.instant(), 10)).extracting(ComicPosts.Post::comicId).containsExactly(2L);

		clock.advance(HOLD);
		assertThat(posts.claim(1, HOLD)).as("a poster that died let go at the end of its hold").isTrue();

		posts.release(1);
		assertThat(posts.claim(1, HOLD)).isTrue();
		assertThat(posts.claim(3, HOLD)).as("nothing to claim").isFalse();
	}

	@Test
	void aSentComicIsNeverClaimedOrSweptAgain() {
		posts.add(finished(1));
		posts.add(finished(2));
		assertThat(posts.claim(1, HOLD)).isTrue();

		posts.sent(1, 998877665544332211L);
		posts.sent(2, null); // refused by Discord for good

		assertThat(posts.messageId(1)).contains(998877665544332211L);
		assertThat(posts.messageId(2)).isEmpty();
		clock.advance(HOLD.multipliedBy(2));
		assertThat(posts.claim(1, HOLD)).isFalse();
		assertThat(posts.claim(2, HOLD)).isFalse();
		posts.release(1);
		assertThat(posts.claim(1, HOLD)).isFalse();
		assertThat(posts.unsent(Instant.EPOCH, 10)).isEmpty();
	}

	@Test
	void theSweepSeesRecentUnsentComicsOldestFirstAndGivesUpOnOldOnes() {
		posts.add(finished(5));
		clock.advance(Duration.ofHours(2));
		Instant since = clock.instant();
		posts.add(finished(9));
		posts.add(finished(7));
		posts.add(finished(8));

		assertThat(posts.unsent(since, 10)).extracting(ComicPosts.Post::comicId).containsExactly(7L, 8L, 9L);
		assertThat(posts.unsent(since, 2)).extracting(ComicPosts.Post::comicId).containsExactly(7L, 8L);
		assertThat(posts.unsent(since.minus(Duration.ofHours(3)), 10)).hasSize(4);
	}

	@Test
	void ofManyPostersRacingForAComicExactlyOneGetsIt() throws Exception {
		posts.add(finished(1));
		int racers = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(racers);
		try {
			List<Future<Boolean>> claims = new ArrayList<>();
			for (int i = 0; i < racers; i++) {
				claims.add(pool.submit(() -> {
					start.await();
					return posts.claim(1, HOLD);
				}));
			}
			start.countDown();
			int won = 0;
			for (Future<Boolean> claim : claims) {
				won += claim.get() ? 1 : 0;
			}
			assertThat(won).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
