package io.switchboard.channel.discord;

import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import net.dv8tion.jda.api.interactions.components.selections.SelectOption;
import net.dv8tion.jda.api.interactions.components.selections.StringSelectMenu;

import org.springframework.stereotype.Component;

/** The model menu of both panels. */
@Component
class ModelMenus {

	/** A select menu holds at most 25 options. */
	static final int MAX_OPTIONS = 25;

	private final ModelCatalog models;

	ModelMenus(ModelCatalog models) {
		this.models = models;
	}

	/** The name of the model a setting stands for (the default one when unset). */
	String effective(String model) {
		return models.findOrDefault(model).name();
	}

	/** A menu of the configured models (the first 25: a menu holds no more). */
	StringSelectMenu menu(String id, String placeholder, String current, boolean disabled) {
		StringSelectMenu.Builder menu = StringSelectMenu.create(id).setPlaceholder(placeholder).setDisabled(disabled);
		for (ModelSpec spec : models.all().stream().limit(MAX_OPTIONS).toList()) {
			StringBuilder description = new StringBuilder(spec.provider()).append(" · ")
				.append(spec.contextWindow() / 1000)
				.append("k context");
			if (spec.vision()) {
				description.append(" · reads images");
			}
			if (spec.demo()) {
				description.append(" · demo, no real AI");
			}
			menu.addOptions(SelectOption.of(Discord.abbreviate(spec.name(), 100), spec.name())
				.withDescription(Discord.abbreviate(description.toString(), 100))
				.withDefault(spec.name().equals(current)));
		}
		return menu.build();
	}

}
