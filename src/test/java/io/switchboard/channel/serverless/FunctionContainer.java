package io.switchboard.channel.serverless;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.Json;

/**
 * A function in a JVM of its own, as in a fresh Lambda container: what the SAM template
 * gives the function (its memory, its {@code JAVA_TOOL_OPTIONS}, read by the JVM from the
 * environment), one processor, its role's credentials in the environment and its
 * settings, running {@link LambdaColdStart}, which starts the function as Lambda's Java
 * runtime does and invokes it once with an event. {@link LambdaBench} times such starts;
 * {@link KilledWorkerTest} kills one mid-turn, as a container dies.
 */
final class FunctionContainer {

	private FunctionContainer() {
	}

	/**
	 * The process for one function and one event.
	 * @param function webhook or worker
	 * @param settings the function's settings (system properties here, environment
	 * variables in AWS; Spring reads both)
	 * @param event what Lambda hands the function, written to a file in {@code folder}
	 * @param moreOptions JVM options after the deployment's, so they win (may be blank)
	 * @param classpath the container's classpath
	 * @param prime whether SnapStart's priming runs before the call
	 */
	static ProcessBuilder process(String function, Map<String, String> settings, JsonNode event, Path folder,
			String moreOptions, String classpath, boolean prime) throws IOException {
		Path eventFile = Files.createTempFile(folder, function + "-event", ".json");
		Files.writeString(eventFile, Json.write(event));
		List<String> command = new ArrayList<>();
		// -XX:ActiveProcessorCount=1 below is what the JVM believes; its compiler and
		// collector threads still run on every core of the machine. COLD_CPUS (e.g. 0)
		// pins the container to those cores (taskset), closer to Lambda, which gives a
		// function of 1,769 MB one vCPU's time and a smaller one less
		String cpus = System.getenv("COLD_CPUS");
		if (cpus != null && !cpus.isBlank()) {
			command.addAll(List.of("taskset", "-c", cpus.strip()));
		}
		command.add(ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		// the container Lambda gives the function: its memory and one processor (at 1 GB
		// a function gets about half a core); the JVM sizes its heap and picks its
		// collector from them, as it does there
		Deployed deployed = Deployed.of(function);
		command.add("-XX:MaxRAM=" + deployed.memoryMb() + "m");
		command.add("-XX:ActiveProcessorCount=1");
		if (!moreOptions.isBlank()) {
			command.addAll(List.of(moreOptions.strip().split("\\s+")));
		}
		command.addAll(List.of("-cp", classpath));
		settings.forEach((name, value) -> command.add("-D" + name + "=" + value));
		command.addAll(List.of(LambdaColdStart.class.getName(), function, eventFile.toString()));
		if (prime) {
			command.add("--prime");
		}
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		// the template's JVM options, read by the JVM from the environment as in Lambda
		builder.environment().put("JAVA_TOOL_OPTIONS", deployed.javaToolOptions());
		// Lambda hands a function its role's credentials in the environment
		builder.environment().put("AWS_ACCESS_KEY_ID", System.getProperty("aws.accessKeyId"));
		builder.environment().put("AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey"));
		return builder;
	}

	/**
	 * What {@code deploy/aws/template.yaml} gives a function's container: its memory and
	 * its {@code JAVA_TOOL_OPTIONS} (its own, else the global one).
	 */
	record Deployed(int memoryMb, String javaToolOptions) {

		static Deployed of(String function) {
			Map<String, Object> template = SamTemplateTest.load();
			String name = function.equals("webhook") ? "WebhookFunction" : "WorkerFunction";
			Map<String, Object> variables = SamTemplateTest.environment(template, name);
			Object memory = SamTemplateTest.properties(template, name)
				.getOrDefault("MemorySize", SamTemplateTest.globals(template).get("MemorySize"));
			return new Deployed(((Number) memory).intValue(), (String) variables.get("JAVA_TOOL_OPTIONS"));
		}

	}

}
