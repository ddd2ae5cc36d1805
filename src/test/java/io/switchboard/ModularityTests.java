package io.switchboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules: no cycles, no module reaching into another's internals; and the
 * architecture document's list of who depends on whom is the code's.
 */
class ModularityTests {

	private static final String MARKER = "<!-- module dependencies: checked by ModularityTests -->";

	private final ApplicationModules modules = ApplicationModules.of(SwitchboardApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		modules.verify();
	}

	@Test
	void theArchitectureDocumentListsEveryModulesDependencies() throws IOException {
		assertThat(documented()).as("docs/architecture.md, the list after " + MARKER).isEqualTo(actual());
	}

	@Test
	void writeModuleDocumentation() {
		new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

	/** Every module and the modules it depends on (types, beans or events), by name. */
	private Map<String, String> actual() {
		Map<String, String> dependencies = new TreeMap<>();
		for (ApplicationModule module : modules) {
			TreeSet<String> targets = module.getDirectDependencies(modules)
				.stream()
				.map(dependency -> dependency.getTargetModule().getIdentifier().toString())
				.collect(Collectors.toCollection(TreeSet::new));
			dependencies.put(module.getIdentifier().toString(),
					targets.isEmpty() ? "(none)" : String.join(", ", targets));
		}
		return dependencies;
	}

	/** The fenced block after the marker: {@code module -> a, b, c} per line. */
	private static Map<String, String> documented() throws IOException {
		String document = Files.readString(Path.of("docs", "architecture.md"));
		int marker = document.indexOf(MARKER);
		assertThat(marker).as("the marker in docs/architecture.md").isNotNegative();
		int open = document.indexOf("```\n", marker) + 4;
		List<String> lines = Arrays.asList(document.substring(open, document.indexOf("```", open)).split("\n"));
		Map<String, String> dependencies = new TreeMap<>();
		for (String line : lines) {
			String[] sides = line.split("->");
			assertThat(sides).as("a line of the form 'module -> a, b': " + line).hasSize(2);
			dependencies.put(sides[0].strip(), sides[1].strip());
		}
		return dependencies;
	}

}
