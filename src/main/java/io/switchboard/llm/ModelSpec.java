package io.switchboard.llm;

/**
 * A model as configured by name.
 *
 * @param name the name users and API clients pick it by
 * @param provider the configured provider that serves it
 * @param upstreamId the model id sent to the provider
 * @param contextWindow tokens the model reads at most, input and output together
 * @param maxOutputTokens the default and upper bound of an answer's length
 * @param price what a million tokens cost
 * @param vision whether the model reads images
 * @param demo whether this is the built-in demo model (labelled in every answer)
 * @param imageDetail how closely the model looks at images, where its vendor lets one say
 * @param contextBudget the most input tokens one turn may send, whatever the window: a
 * longer conversation is compacted into a summary; the window when not smaller
 */
public record ModelSpec(String name, String provider, String upstreamId, int contextWindow, int maxOutputTokens,
		Price price, boolean vision, boolean demo, ImageDetail imageDetail, int contextBudget) {

	public ModelSpec {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("model name must not be blank");
		}
		if (contextWindow <= 0 || maxOutputTokens <= 0 || maxOutputTokens >= contextWindow) {
			throw new IllegalArgumentException("model " + name + ": need 0 < maxOutputTokens (" + maxOutputTokens
					+ ") < contextWindow (" + contextWindow + ")");
		}
		price = price == null ? Price.FREE : price;
		imageDetail = imageDetail == null ? ImageDetail.AUTO : imageDetail;
		contextBudget = contextBudget <= 0 || contextBudget > contextWindow ? contextWindow : contextBudget;
	}

	/** A model whose turns may fill its window (no budget below it). */
	public ModelSpec(String name, String provider, String upstreamId, int contextWindow, int maxOutputTokens,
			Price price, boolean vision, boolean demo, ImageDetail imageDetail) {
		this(name, provider, upstreamId, contextWindow, maxOutputTokens, price, vision, demo, imageDetail,
				contextWindow);
	}

	/**
	 * A model whose images are sent with {@link ImageDetail#AUTO}, the vendors' own
	 * default: for callers that describe a model without that setting.
	 */
	public ModelSpec(String name, String provider, String upstreamId, int contextWindow, int maxOutputTokens,
			Price price, boolean vision, boolean demo) {
		this(name, provider, upstreamId, contextWindow, maxOutputTokens, price, vision, demo, ImageDetail.AUTO);
	}

}
