-- The old per-channel delivery tables, whose rows V71 moved into channel_deliveries (SQLite
-- dialect, twin of ../postgresql/V72__old_channel_tables.sql). Slack's answered-message
-- claims are now the inbound events' de-duplication and the answer deliveries' refs.
DROP TABLE line_outbox;
DROP TABLE slack_replies;
DROP TABLE slack_image_posts;
DROP TABLE discord_image_messages;
DROP TABLE discord_comic_posts;
