package io.switchboard.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import io.switchboard.SwitchboardApplication;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Several Switchboard nodes on one fresh PostgreSQL schema, as behind a load balancer:
 * whole servers, each on its own port, sharing only the database. Nodes run as Spring
 * contexts in this JVM (cheap to start, and a test can read their beans) or as separate
 * processes of the same classpath, which a test can kill as the kernel would
 * ({@code kill -9}): no shutdown hook runs, no lease is given back, no transaction ends
 * politely.
 */
public final class Cluster implements AutoCloseable {

	private final String database;

	private final List<String> settings;

	private final List<ConfigurableApplicationContext> nodes = new CopyOnWriteArrayList<>();

	private final List<NodeProcess> processes = new CopyOnWriteArrayList<>();

	private Cluster(String database, List<String> settings) {
		this.database = database;
		this.settings = List.copyOf(settings);
	}

	/**
	 * Starts {@code count} nodes in this JVM on a new schema. The first starts alone (it
	 * runs the migrations), the others together. With none, the schema waits for the
	 * first node a test adds (a process, say).
	 * @param settings {@code name=value} settings every node gets (the database's are
	 * added)
	 */
	public static Cluster start(int count, List<String> settings) {
		Postgres.requireOrSkip();
		List<String> all = new ArrayList<>(settings);
		all.add("spring.datasource.username=" + Postgres.USER);
		all.add("spring.datasource.hikari.maximum-pool-size=8");
		all.add("spring.datasource.hikari.minimum-idle=1");
		Cluster cluster = new Cluster(Postgres.newSchema(), all);
		if (count == 0) {
			return cluster;
		}
		cluster.nodes.add(cluster.newNode());
		try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<ConfigurableApplicationContext>> started = new ArrayList<>();
			for (int i = 1; i < count; i++) {
				started.add(starting.submit(cluster::newNode));
			}
			for (Future<ConfigurableApplicationContext> node : started) {
				cluster.nodes.add(node.get());
			}
		}
		catch (Exception failed) {
			cluster.close();
			throw new IllegalStateException("a node of the cluster did not start", failed);
		}
		return cluster;
	}

	private ConfigurableApplicationContext newNode() {
		return StandaloneApplication.startOn(database, settings.toArray(String[]::new));
	}

	/** The nodes in this JVM that run now. */
	public List<ConfigurableApplicationContext> nodes() {
		return nodes.stream().filter(ConfigurableApplicationContext::isActive).toList();
	}

	public ConfigurableApplicationContext node(int index) {
		return nodes.get(index);
	}

	/** A running node of this JVM chosen at random, as a load balancer might. */
	public ConfigurableApplicationContext any() {
		List<ConfigurableApplicationContext> running = nodes();
		return running.get(ThreadLocalRandom.current().nextInt(running.size()));
	}

	public static int port(ConfigurableApplicationContext node) {
		return StandaloneApplication.port(node);
	}

	/** The shared database, read through a running node. */
	public JdbcClient database() {
		return nodes().getFirst().getBean(JdbcClient.class);
	}

	/** Starts one more node in this JVM. */
	public ConfigurableApplicationContext addNode() {
		ConfigurableApplicationContext node = newNode();
		nodes.add(node);
		return node;
	}

	/**
	 * Starts a node as a process of its own (the same classpath and settings), and waits
	 * until it is ready.
	 */
	public NodeProcess startProcess(String... extraSettings) {
		List<String> all = new ArrayList<>(settings);
		all.addAll(List.of(extraSettings));
		NodeProcess process = NodeProcess.start(database, all);
		processes.add(process);
		return process;
	}

	@Override
	public void close() {
		for (NodeProcess process : processes) {
			process.kill();
		}
		for (ConfigurableApplicationContext node : nodes) {
			if (node.isActive()) {
				node.close();
			}
		}
	}

	/** A node in a process of its own. */
	public static final class NodeProcess {

		private final Process process;

		private final int port;

		private final Path log;

		private NodeProcess(Process process, int port, Path log) {
			this.process = process;
			this.port = port;
			this.log = log;
		}

		static NodeProcess start(String database, List<String> settings) {
			int port = freePort();
			String java = ProcessHandle.current().info().command().orElse("java");
			// surefire puts the test classpath here; outside it, this JVM's own
			String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
			List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
					classpath, SwitchboardApplication.class.getName(), "--spring.datasource.url=" + database,
					"--server.port=" + port, "--spring.main.banner-mode=off"));
			for (String setting : settings) {
				command.add("--" + setting);
			}
			try {
				Path log = Files.createTempFile("switchboard-node-", ".log");
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				NodeProcess node = new NodeProcess(process, port, log);
				node.awaitReady(Duration.ofSeconds(120));
				return node;
			}
			catch (IOException failed) {
				throw new IllegalStateException("cannot start a node process", failed);
			}
		}

		public int port() {
			return port;
		}

		/** Ends the process at once, as {@code kill -9} does: nothing is cleaned up. */
		public void kill() {
			process.destroyForcibly();
			try {
				process.waitFor();
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		/** What the node wrote to its console so far. */
		public String log() {
			try {
				return Files.readString(log);
			}
			catch (IOException unreadable) {
				return "(log unreadable: " + unreadable + ")";
			}
		}

		private void awaitReady(Duration within) {
			HttpClient http = HttpClient.newHttpClient();
			long deadline = System.nanoTime() + within.toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException("the node process ended while starting:\n" + log());
				}
				try {
					HttpResponse<String> ready = http.send(HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (ready.statusCode() == 200) {
						return;
					}
				}
				catch (IOException notYet) {
					// not listening yet
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(interrupted);
				}
				sleep(250);
			}
			kill();
			throw new IllegalStateException("the node process was not ready within " + within + ":\n" + log());
		}

		private static int freePort() {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
			catch (IOException failed) {
				throw new IllegalStateException(failed);
			}
		}

		private static void sleep(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
