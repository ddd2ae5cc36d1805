package io.switchboard.comic;

/** The model's answers the comic tests script the fake model with. */
final class ComicScripts {

	static final String STORY = """
			{"title": "고양이 바리스타", "panels": [
			 {"scene": "An orange cat stares at an espresso machine in a small cafe.", "characters": ["Nabi"],
			  "dialogue": "나비: 나도 커피를 만들 거야!", "caption": "어느 월요일 아침"},
			 {"scene": "Nabi spills milk all over the counter.", "characters": "Nabi", "dialogue": "", "caption": "첫 번째 시도"},
			 {"scene": "The owner laughs and hands Nabi a tiny apron.", "characters": "Nabi, Owner",
			  "dialogue": "Owner: Not bad for a cat!", "caption": ""},
			 {"scene": "Nabi proudly serves a perfect latte with a fish in the foam.", "characters": "Nabi",
			  "dialogue": "나비: 냥!", "caption": "끝"}]}""";

	static final String PANEL = """
			```json
			{"scene": "Nabi climbs the shelf and knocks over the coffee beans.", "characters": "Nabi",
			 "dialogue": "나비: 앗!", "caption": "두 번째 시도"}
			```""";

	static final String PROMPTS = """
			{"characterSheet": "Nabi: small orange tabby cat, green eyes, blue apron. Owner: young woman, short black hair, white shirt.",
			 "styleLine": "soft watercolor webtoon, pastel colours, clean line art",
			 "panels": [
			  {"prompt": "soft watercolor webtoon, orange tabby cat in blue apron staring at espresso machine, cozy cafe", "negativePrompt": "text, watermark"},
			  {"prompt": "soft watercolor webtoon, orange tabby cat knocking over coffee beans on a shelf", "negativePrompt": ""},
			  {"prompt": "soft watercolor webtoon, young woman with short black hair laughing, orange tabby cat", "negativePrompt": "text"},
			  {"prompt": "soft watercolor webtoon, orange tabby cat serving latte with fish latte art", "negativePrompt": "text"}]}""";

	private ComicScripts() {
	}

}
