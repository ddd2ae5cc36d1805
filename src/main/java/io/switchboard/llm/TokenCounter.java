package io.switchboard.llm;

import java.util.List;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import org.springframework.stereotype.Component;

/**
 * Counts tokens with a real tokenizer (OpenAI's o200k_base through jtokkit). Other
 * vendors' tokenizers differ by a few percent, which the context budget's safety margin
 * absorbs.
 */
@Component
public class TokenCounter {

	/**
	 * Tokens every message costs beyond its content (role and separators), as OpenAI
	 * counts.
	 */
	public static final int PER_MESSAGE_OVERHEAD = 4;

	/** Tokens every request costs for priming the answer. */
	public static final int PER_REQUEST_OVERHEAD = 3;

	private static final int LOW_DETAIL_IMAGE_TOKENS = 85;

	private static final int TILE_TOKENS = 170;

	private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	public int count(String text) {
		return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
	}

	/**
	 * Tokens an image costs in a high-detail request, as OpenAI bills it: the image is
	 * scaled to fit 2048x2048, then its short side to 768, and every 512x512 tile costs
	 * 170 tokens plus a base of 85. Unknown sizes count as one tile.
	 */
	public int countImage(int width, int height) {
		if (width <= 0 || height <= 0) {
			return LOW_DETAIL_IMAGE_TOKENS + TILE_TOKENS;
		}
		double w = width;
		double h = height;
		double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
		w *= fit;
		h *= fit;
		double shortSide = Math.min(w, h);
		if (shortSide > 768) {
			double scale = 768.0 / shortSide;
			w *= scale;
			h *= scale;
		}
		int tiles = (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
		return LOW_DETAIL_IMAGE_TOKENS + TILE_TOKENS * tiles;
	}

	/**
	 * Tokens a whole message list costs, images counted as one tile when their size is
	 * unknown.
	 */
	public int count(List<ChatMessage> messages) {
		int total = PER_REQUEST_OVERHEAD;
		for (ChatMessage message : messages) {
			total += PER_MESSAGE_OVERHEAD;
			for (ContentPart part : message.parts()) {
				total += switch (part) {
					case ContentPart.Text text -> count(text.text());
					case ContentPart.Image image -> countImage(0, 0);
					case ContentPart.ToolCall call -> count(call.name()) + count(call.arguments());
					case ContentPart.ToolResult result -> count(result.text());
				};
			}
		}
		return total;
	}

}
