package io.switchboard.comic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the model's structured answers must look like, and how a bad one is named. */
class ComicJsonTest {

	static final String STORY = """
			{"title": "고양이 바리스타", "panels": [
			 {"scene": "A cat stares at a coffee machine.", "characters": ["Nabi"], "dialogue": "나비: 나도 커피를 만들 거야!", "caption": ""},
			 {"scene": "Nabi spills milk everywhere.", "characters": "Nabi, Owner", "dialogue": "", "caption": "첫 번째 시도"},
			 {"scene": "The owner laughs.", "characters": "Owner", "dialogue": "Owner: Not bad!", "caption": ""},
			 {"scene": "Nabi serves a perfect latte.", "characters": "Nabi", "dialogue": "나비: 냥!", "caption": "끝"}]}""";

	@Test
	void aStoryIsReadEvenInsideCodeFencesAndProse() {
		ComicJson.Story story = ComicJson.story("Here you go:\n```json\n" + STORY + "\n```\nEnjoy!");
		assertThat(story.title()).isEqualTo("고양이 바리스타");
		assertThat(story.panels()).hasSize(4);
		assertThat(story.panels().get(0).characters()).isEqualTo("Nabi");
		assertThat(story.panels().get(1).characters()).isEqualTo("Nabi, Owner");
		assertThat(story.panels().get(1).caption()).isEqualTo("첫 번째 시도");
		assertThat(story.panels().get(3).dialogue()).isEqualTo("나비: 냥!");
	}

	@Test
	void eachProblemOfAStoryIsNamed() {
		assertProblem("I cannot write that.", "holds no JSON object");
		assertProblem("{\"title\": \"x\", \"panels\": [}", "not valid JSON");
		assertProblem(STORY.replace("\"title\": \"고양이 바리스타\", ", ""), "\"title\" is missing");
		assertProblem(STORY.replace("\"title\": \"고양이 바리스타\"", "\"title\": \"  \""), "\"title\" is empty");
		assertProblem("{\"title\": \"t\", \"panels\": [{\"scene\":\"s\",\"dialogue\":\"d\"}]}",
				"has 1 panels; a four-panel comic needs exactly 4");
		assertProblem("{\"title\": \"t\", \"panels\": \"four\"}", "\"panels\" is missing or not an array");
		assertProblem(STORY.replace("\"dialogue\": \"Owner: Not bad!\"", "\"dialogue\": \"\""),
				"panels[2] has neither \"dialogue\" nor \"caption\"");
		assertProblem(STORY.replace("\"scene\": \"The owner laughs.\"", "\"scene\": 42"),
				"panels[2].scene must be a string");
		assertProblem(STORY.replace("The owner laughs.", "x".repeat(1001)), "panels[2].scene is longer than 1000");
		assertProblem(STORY.replace("[\"Nabi\"]", "[1, 2]"), "panels[0].characters must hold names");
	}

	@Test
	void onePanelMayComeWrapped() {
		StoryEdit.PanelText text = ComicJson.panel(
				"{\"panel\": {\"scene\": \"s\", \"characters\": \"a\", \"dialogue\": \"a: hi\", \"caption\": \"\"}}");
		assertThat(text.dialogue()).isEqualTo("a: hi");
		assertThatThrownBy(() -> ComicJson.panel("{\"scene\": \"s\"}")).hasMessageContaining("neither");
	}

	@Test
	void promptsNeedAStyleLineAndFourPrompts() {
		String prompts = """
				{"characterSheet": "Nabi: small orange cat, blue apron", "styleLine": "watercolor webtoon",
				 "panels": [{"prompt": "p1", "negativePrompt": "text"}, {"prompt": "p2"},
				            {"prompt": "p3", "negativePrompt": null}, {"prompt": "p4", "negativePrompt": ""}]}""";
		PromptsEdit edit = ComicJson.prompts(prompts);
		assertThat(edit.styleLine()).isEqualTo("watercolor webtoon");
		assertThat(edit.panels()).extracting(PromptsEdit.PanelPrompt::prompt).containsExactly("p1", "p2", "p3", "p4");
		assertThat(edit.panels().get(1).negativePrompt()).isEmpty();
		assertThatThrownBy(() -> ComicJson.prompts(prompts.replace("\"styleLine\": \"watercolor webtoon\",", "")))
			.hasMessageContaining("\"styleLine\" is missing");
		assertThatThrownBy(() -> ComicJson.prompts(prompts.replace("{\"prompt\": \"p2\"},", "")))
			.hasMessageContaining("has 3 entries");
		assertThatThrownBy(() -> ComicJson.prompts(prompts.replace("\"p3\"", "\"\"")))
			.hasMessageContaining("panels[2].prompt is empty");
	}

	private static void assertProblem(String answer, String problem) {
		assertThatThrownBy(() -> ComicJson.story(answer)).isInstanceOf(ComicJson.AnswerInvalid.class)
			.hasMessageContaining(problem);
	}

}
