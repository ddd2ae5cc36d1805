package io.switchboard.channel.serverless;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.Json;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/aws/template.yaml} declares what the functions read, and nothing else:
 * the settings the end-to-end test starts them with (less its fakes' endpoints), the
 * DynamoDB table the store creates for itself elsewhere (keys, indexes, time to live),
 * the queue and its dead-letter queue as the worker expects them, and the SSM parameters
 * the secrets come from, each granted to the functions and nothing more.
 */
class SamTemplateTest {

	private static final Path TEMPLATE = Path.of("deploy/aws/template.yaml");

	/**
	 * Settings a deployment gives that the end-to-end test gives otherwise: the function
	 * to run (the test names it to the invoker), a table the store must not create (the
	 * test's dynalite table is made by the store), and JVM options.
	 */
	private static final Map<String, Set<String>> DEPLOY_ONLY = Map
		.of("WebhookFunction", Set.of("SPRING_CLOUD_FUNCTION_DEFINITION", "JAVA_TOOL_OPTIONS"), "WorkerFunction", Set
			.of("SPRING_CLOUD_FUNCTION_DEFINITION", "SWITCHBOARD_STORAGE_DYNAMODB_CREATETABLE", "JAVA_TOOL_OPTIONS"));

	/** The settings the end-to-end test starts each function with. */
	private static final Map<String, Map<String, String>> TESTED = Map.of(
			"WorkerFunction", LambdaRig.settings(Path.of("/tmp"), "t", "http://sqs", "http://ssm", "http://s3",
					"http://line", "http://model"),
			"WebhookFunction", LambdaRig.webhookSettings("t", "http://sqs", "http://ssm"));

	/** The settings each function reads from SSM in the end-to-end test. */
	private static final Map<String, String> SECRETS = Map.of("WorkerFunction", LambdaRig.SECRETS, "WebhookFunction",
			LambdaRig.WEBHOOK_SECRETS);

	/** Read by the runtime, the adapter or Spring itself, not by a properties class. */
	private static final Set<String> NOT_PROPERTIES = Set.of("MAIN_CLASS", "JAVA_TOOL_OPTIONS",
			"SPRING_CLOUD_FUNCTION_DEFINITION", "SPRING_DATASOURCE_URL", "SPRING_CONFIG_NAME",
			"SWITCHBOARD_SECRETS_SSMPARAMETERS", "SWITCHBOARD_SECRETS_REGION");

	private final Map<String, Object> template = load();

	@Test
	void declaresExactlyTheResourcesTheEditionUses() {
		Map<String, String> types = resources().entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, entry -> (String) map(entry.getValue()).get("Type")));
		assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
				Map.entry("HttpApi", "AWS::Serverless::HttpApi"),
				Map.entry("WebhookFunction", "AWS::Serverless::Function"),
				Map.entry("WorkerFunction", "AWS::Serverless::Function"), Map.entry("Queue", "AWS::SQS::Queue"),
				Map.entry("DeadLetterQueue", "AWS::SQS::Queue"), Map.entry("Table", "AWS::DynamoDB::Table"),
				Map.entry("PhotoBucket", "AWS::S3::Bucket"), Map.entry("WebhookErrorsAlarm", "AWS::CloudWatch::Alarm"),
				Map.entry("WorkerErrorsAlarm", "AWS::CloudWatch::Alarm"),
				Map.entry("QueueAgeAlarm", "AWS::CloudWatch::Alarm"),
				Map.entry("DeadLettersAlarm", "AWS::CloudWatch::Alarm")));
	}

	@Test
	void givesEachFunctionTheSettingsTheEndToEndTestStartsThemWithAndNoOther() {
		for (String function : List.of("WebhookFunction", "WorkerFunction")) {
			Set<String> expected = TESTED.get(function)
				.keySet()
				.stream()
				.filter(name -> !LambdaRig.TEST_ONLY.contains(name))
				.map(SamTemplateTest::environmentName)
				.collect(Collectors.toCollection(TreeSet::new));
			expected.addAll(DEPLOY_ONLY.get(function));
			assertThat(new TreeSet<>(environment(function).keySet())).as(function + "'s environment")
				.isEqualTo(expected);
		}
		assertThat(environment("WebhookFunction")).containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "webhook")
			.containsEntry("MAIN_CLASS", WebhookApplication.class.getName());
		assertThat(environment("WorkerFunction")).containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "worker")
			.containsEntry("MAIN_CLASS", LambdaApplication.class.getName());
	}

	@Test
	void everySettingBindsToAPropertyTheCodeDeclares() throws IOException {
		Set<String> known = new LinkedHashSet<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode metadata = Json.read(in.readAllBytes());
			metadata.path("properties").forEach(property -> known.add(environmentName(property.path("name").asText())));
		}
		for (String function : List.of("WebhookFunction", "WorkerFunction")) {
			for (String variable : environment(function).keySet()) {
				if (NOT_PROPERTIES.contains(variable)) {
					continue;
				}
				// a map's entries (providers, models) bind below the map's own name
				assertThat(known.stream().anyMatch(name -> variable.equals(name) || variable.startsWith(name + "_")))
					.as(function + ": " + variable + " binds to a declared property")
					.isTrue();
			}
		}
	}

	@Test
	void readsItsSecretsFromTheDeclaredParametersGrantedToEachFunction() {
		for (String function : List.of("WebhookFunction", "WorkerFunction")) {
			Object spec = environment(function).get("SWITCHBOARD_SECRETS_SSMPARAMETERS");
			String sub = (String) map(spec).get("Fn::Sub");
			Map<String, String> secrets = new LinkedHashMap<>();
			for (String pair : sub.split(",")) {
				secrets.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
			Map<String, String> tested = SsmSecrets.parse(SECRETS.get(function));
			assertThat(secrets.keySet()).as(function + ": the settings read from SSM").isEqualTo(tested.keySet());

			Set<String> parameters = new TreeSet<>();
			secrets.values().forEach(value -> parameters.add(only(value, "\\$\\{(\\w+)}")));
			assertThat(map(template.get("Parameters")).keySet()).containsAll(parameters);
			List<Object> granted = resourcesOf(function, "ssm:GetParameters");
			Set<String> grantedParameters = granted.stream()
				.map(resource -> only((String) map(resource).get("Fn::Sub"), ":parameter\\$\\{(\\w+)}"))
				.collect(Collectors.toCollection(TreeSet::new));
			assertThat(grantedParameters).as(function + " may read exactly its parameters").isEqualTo(parameters);
			assertThat(environment(function).keySet())
				.noneMatch(name -> name.contains("SECRET") && !name.startsWith("SWITCHBOARD_SECRETS_")
						|| name.contains("TOKEN") || name.contains("APIKEY"));
		}
	}

	/**
	 * The webhook keeps events and queues them: it may put and get items of the table
	 * (not its indexes), send to the queue, and nothing else of either.
	 */
	@Test
	void theWebhookMayKeepEventsAndQueueThemAndNoMore() {
		assertThat(actionsOf("WebhookFunction")).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem",
				"sqs:SendMessage", "ssm:GetParameters");
		assertThat(resourcesOf("WebhookFunction", "dynamodb:PutItem"))
			.containsExactly(Map.of("Fn::GetAtt", List.of("Table", "Arn")));
	}

	/**
	 * A parameter nothing uses would be a question in {@code sam deploy --guided} for
	 * nothing.
	 */
	@Test
	void everyParameterIsUsed() {
		Set<String> referenced = new TreeSet<>();
		collectReferences(template.get("Globals"), referenced);
		collectReferences(template.get("Resources"), referenced);
		assertThat(referenced).containsAll(map(template.get("Parameters")).keySet());
	}

	private static void collectReferences(Object node, Set<String> into) {
		if (node instanceof Map<?, ?> object) {
			object.forEach((name, value) -> {
				if ("Ref".equals(name) && value instanceof String ref) {
					into.add(ref);
				}
				else if ("Fn::Sub".equals(name) && value instanceof String sub) {
					Matcher placeholder = Pattern.compile("\\$\\{([\\w:]+)(?:\\.\\w+)?}").matcher(sub);
					while (placeholder.find()) {
						into.add(placeholder.group(1));
					}
				}
				else {
					collectReferences(value, into);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach(item -> collectReferences(item, into));
		}
	}

	@Test
	void theTableIsTheOneTheStoreUses() {
		assertThat(environment("WorkerFunction").get("SWITCHBOARD_STORAGE_DYNAMODB_TABLE"))
			.isEqualTo(Map.of("Ref", "Table"));
		Map<String, Object> table = properties("Table");
		assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
		assertThat(keys(table.get("KeySchema"))).isEqualTo("pk HASH, sk RANGE");
		Map<String, String> indexes = new LinkedHashMap<>();
		for (Object index : list(table.get("GlobalSecondaryIndexes"))) {
			Map<String, Object> gsi = map(index);
			indexes.put((String) gsi.get("IndexName"),
					keys(gsi.get("KeySchema")) + " " + map(gsi.get("Projection")).get("ProjectionType"));
		}
		assertThat(indexes).containsExactly(Map.entry("gsi1", "gsi1pk HASH, gsi1sk RANGE ALL"),
				Map.entry("gsi2", "gsi2pk HASH, gsi2sk RANGE ALL"),
				Map.entry("gsi3", "gsi3pk HASH, gsi3sk RANGE KEYS_ONLY"));
		assertThat(map(table.get("TimeToLiveSpecification"))).containsEntry("AttributeName", "expires_at")
			.containsEntry("Enabled", true);
		assertThat(list(table.get("AttributeDefinitions")))
			.allSatisfy(definition -> assertThat(map(definition)).containsEntry("AttributeType", "S"));
		for (String function : List.of("WorkerFunction")) {
			assertThat(resourcesOf(function, "dynamodb:Query")).containsExactly(
					Map.of("Fn::GetAtt", List.of("Table", "Arn")), Map.of("Fn::Sub", "${Table.Arn}/index/*"));
			assertThat(actionsOf(function)).noneMatch(action -> action.equals("dynamodb:CreateTable")
					|| action.equals("dynamodb:Scan") || action.endsWith(":*"));
		}
	}

	/**
	 * Photos are kept under {@code media/} of the template's private bucket, written and
	 * read by the worker (it keeps a photo as it takes it in, and reads it for the
	 * model); the webhook never touches them. They may also list the bucket: without
	 * {@code s3:ListBucket}, S3 answers a look for an object that is not there yet (every
	 * new photo) with 403 instead of 404, and the photo would be refused.
	 */
	@Test
	void photosGoToThePrivateBucketUnderMediaAndNowhereElse() {
		assertThat(environment("WebhookFunction")).doesNotContainKey("SWITCHBOARD_STORAGE_S3_BUCKET");
		for (String function : List.of("WorkerFunction")) {
			assertThat(environment(function))
				.containsEntry("SWITCHBOARD_STORAGE_S3_BUCKET", Map.of("Ref", "PhotoBucket"))
				.containsEntry("SWITCHBOARD_STORAGE_S3_REGION", Map.of("Ref", "AWS::Region"));
			for (String action : List.of("s3:GetObject", "s3:PutObject")) {
				assertThat(resourcesOf(function, action)).as(function + " " + action)
					.containsExactly(Map.of("Fn::Sub", "${PhotoBucket.Arn}/media/*"));
			}
			assertThat(resourcesOf(function, "s3:ListBucket")).as(function + " s3:ListBucket")
				.containsExactly(Map.of("Fn::GetAtt", List.of("PhotoBucket", "Arn")));
			assertThat(actionsOf(function).stream().filter(action -> action.startsWith("s3:")))
				.containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject", "s3:ListBucket");
		}
		Map<String, Object> blocked = map(properties("PhotoBucket").get("PublicAccessBlockConfiguration"));
		assertThat(blocked).containsEntry("BlockPublicAcls", true)
			.containsEntry("BlockPublicPolicy", true)
			.containsEntry("IgnorePublicAcls", true)
			.containsEntry("RestrictPublicBuckets", true);
	}

	@Test
	void theQueueRedrivesToTheDeadLetterQueueWhichTheWorkerAlsoReads() {
		Map<String, Object> worker = environment("WorkerFunction");
		assertThat(worker.get("SWITCHBOARD_SERVERLESS_QUEUEURL")).isEqualTo(Map.of("Ref", "Queue"));
		assertThat(worker.get("SWITCHBOARD_SERVERLESS_DEADLETTERQUEUEARN"))
			.isEqualTo(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")));
		Map<String, Object> redrive = map(properties("Queue").get("RedrivePolicy"));
		assertThat(redrive.get("deadLetterTargetArn"))
			.isEqualTo(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")));
		assertThat(redrive.get("maxReceiveCount")).isEqualTo(LambdaRig.MAX_RECEIVES);
		assertThat((Integer) properties("Queue").get("VisibilityTimeout"))
			.as("a message stays hidden while the worker may run")
			.isGreaterThanOrEqualTo((Integer) properties("WorkerFunction").get("Timeout"));

		Map<String, Object> events = map(properties("WorkerFunction").get("Events"));
		List<Object> queues = new ArrayList<>();
		for (Object event : events.values()) {
			Map<String, Object> source = map(event);
			assertThat(source.get("Type")).isEqualTo("SQS");
			Map<String, Object> sqs = map(source.get("Properties"));
			assertThat(list(sqs.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
			queues.add(sqs.get("Queue"));
		}
		assertThat(queues).containsExactlyInAnyOrder(Map.of("Fn::GetAtt", List.of("Queue", "Arn")),
				Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")));
		assertThat(resourcesOf("WebhookFunction", "sqs:SendMessage"))
			.containsExactly(Map.of("Fn::GetAtt", List.of("Queue", "Arn")));
		assertThat(actionsOf("WebhookFunction")).noneMatch(action -> action.startsWith("sqs:Receive"));
	}

	@Test
	void theFunctionsRunOnJava21WithSnapStartAndTheWebhookIsOnTheHttpApi() {
		Map<String, Object> function = map(map(template.get("Globals")).get("Function"));
		assertThat(function.get("Runtime")).isEqualTo("java21");
		assertThat(map(function.get("SnapStart"))).containsEntry("ApplyOn", "PublishedVersions");
		assertThat((String) function.get("Handler")).isEqualTo(
				org.springframework.cloud.function.adapter.aws.FunctionInvoker.class.getName() + "::handleRequest");
		Map<String, Object> line = map(
				map(map(properties("WebhookFunction").get("Events")).get("Line")).get("Properties"));
		assertThat(line).containsEntry("Method", "POST").containsEntry("Path", "/line/webhook");
		assertThat(map(template.get("Outputs"))).containsKey("WebhookUrl");
	}

	/**
	 * A JVM refuses to start on an option it does not know, and Lambda's Java runtime
	 * would report every invocation as a failed start: each function's
	 * {@code JAVA_TOOL_OPTIONS} must be accepted by a Java 21 or newer JVM, this one,
	 * read from the environment as Lambda's is.
	 */
	@Test
	void eachFunctionsJvmOptionsAreOnesTheJvmAccepts() throws Exception {
		for (String function : List.of("WebhookFunction", "WorkerFunction")) {
			Object options = environment(function).get("JAVA_TOOL_OPTIONS");
			assertThat(options).as(function + "'s JAVA_TOOL_OPTIONS").isInstanceOf(String.class);
			ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-version")
				.redirectErrorStream(true);
			java.environment().put("JAVA_TOOL_OPTIONS", (String) options);
			Process process = java.start();
			String output = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor()).as(function + ": " + output).isZero();
			assertThat(output).as(function)
				.contains("Picked up JAVA_TOOL_OPTIONS")
				.doesNotContain("Unrecognized", "Error", "warning");
		}
	}

	// ---------------------------------------------------------------- reading

	private static String environmentName(String property) {
		return property.toUpperCase(Locale.ROOT).replace("-", "").replace('.', '_');
	}

	private Map<String, Object> resources() {
		return map(template.get("Resources"));
	}

	private Map<String, Object> properties(String resource) {
		return properties(template, resource);
	}

	static Map<String, Object> properties(Map<String, Object> template, String resource) {
		return map(map(map(template.get("Resources")).get(resource)).get("Properties"));
	}

	private Map<String, Object> environment(String function) {
		return environment(template, function);
	}

	/** A function's variables: the global ones and its own (also the benchmark's). */
	static Map<String, Object> environment(Map<String, Object> template, String function) {
		Map<String, Object> all = new LinkedHashMap<>(map(map(globals(template).get("Environment")).get("Variables")));
		Object own = properties(template, function).get("Environment");
		if (own != null) {
			all.putAll(map(map(own).get("Variables")));
		}
		return all;
	}

	/** What every function gets unless it says otherwise. */
	static Map<String, Object> globals(Map<String, Object> template) {
		return map(map(template.get("Globals")).get("Function"));
	}

	private List<Map<String, Object>> statements(String function) {
		List<Map<String, Object>> statements = new ArrayList<>();
		for (Object policy : list(properties(function).get("Policies"))) {
			list(map(policy).get("Statement")).forEach(statement -> statements.add(map(statement)));
		}
		return statements;
	}

	private List<Object> resourcesOf(String function, String action) {
		return statements(function).stream()
			.filter(statement -> list(statement.get("Action")).contains(action))
			.flatMap(statement -> list(statement.get("Resource")).stream())
			.toList();
	}

	private Set<String> actionsOf(String function) {
		return statements(function).stream()
			.flatMap(statement -> list(statement.get("Action")).stream())
			.map(String.class::cast)
			.collect(Collectors.toSet());
	}

	private static String keys(Object schema) {
		return list(schema).stream()
			.map(key -> map(key).get("AttributeName") + " " + map(key).get("KeyType"))
			.collect(Collectors.joining(", "));
	}

	private static String only(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as(regex + " in " + text).isTrue();
		return matcher.group(1);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	static Map<String, Object> load() {
		try (InputStream in = Files.newInputStream(TEMPLATE)) {
			return new Yaml(new SamConstructor()).load(in);
		}
		catch (IOException missing) {
			throw new IllegalStateException(missing);
		}
	}

	/**
	 * SnakeYAML's safe constructor that also reads CloudFormation's short forms
	 * ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...) as their long forms
	 * ({@code {Ref: x}}, <code>{Fn::GetAtt: [resource, attribute]}</code>, ...).
	 */
	static final class SamConstructor extends SafeConstructor {

		SamConstructor() {
			super(new LoaderOptions());
			for (String function : List.of("Ref", "GetAtt", "Sub", "Join", "If", "Equals", "Not", "And", "Or", "Select",
					"Split", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Condition")) {
				yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
			}
		}

		private final class Intrinsic extends AbstractConstruct {

			private final String function;

			Intrinsic(String function) {
				this.function = function;
			}

			@Override
			public Object construct(Node node) {
				Object value = switch (node) {
					case ScalarNode scalar -> {
						String text = constructScalar(scalar);
						yield "GetAtt".equals(function) ? List.of(text.split("\\.", 2)) : text;
					}
					case SequenceNode sequence -> constructSequence(sequence);
					case MappingNode mapping -> constructMapping(mapping);
					default -> throw new IllegalStateException("unexpected " + node);
				};
				return Map.of("Ref".equals(function) || "Condition".equals(function) ? function : "Fn::" + function,
						value);
			}

		}

	}

}
