package io.switchboard.api;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.ModelCatalog;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * HTTP/1.1 to OpenAI-compatible upstreams, for passing requests through: one pooled
 * client (Apache HttpClient) whose connections are kept alive and reused, so a request
 * costs no handshake; reads are bounded by each provider's read timeout, so a stream that
 * falls silent fails instead of hanging. The pool is large because every open stream
 * holds one connection.
 */
@Component
class Upstream implements DisposableBean {

	private final PoolingHttpClientConnectionManager pool;

	private final CloseableHttpClient client;

	/** One request configuration per provider, made once rather than per request. */
	private final java.util.concurrent.ConcurrentHashMap<LlmProperties.Provider, RequestConfig> configs = new java.util.concurrent.ConcurrentHashMap<>();

	private final java.util.concurrent.ConcurrentHashMap<Endpoint, URI> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

	Upstream(ApiProperties properties, ModelCatalog catalog) {
		// each provider's connect timeout, by the host and port it answers at
		java.util.Map<String, Timeout> connectTimeouts = new java.util.HashMap<>();
		catalog.providers().values().forEach(provider -> {
			if (provider.type() == LlmProperties.ProviderType.OPENAI) {
				URI base = provider.baseUrl() == null ? Router.OPENAI_BASE_URL : provider.baseUrl();
				connectTimeouts.merge(hostAndPort(base), Timeout.ofMilliseconds(provider.connectTimeout().toMillis()),
						(a, b) -> a.compareTo(b) <= 0 ? a : b);
			}
		});
		ConnectionConfig defaults = ConnectionConfig.custom()
			.setConnectTimeout(Timeout.ofSeconds(10))
			.setValidateAfterInactivity(TimeValue.ofSeconds(2))
			.setTimeToLive(TimeValue.ofMinutes(10))
			.build();
		this.pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(properties.upstreamMaxConnections())
			.setMaxConnPerRoute(properties.upstreamMaxConnections())
			// LAX: no global pool lock on every lease, which matters at thousands a
			// second
			.setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
			.setConnPoolPolicy(PoolReusePolicy.LIFO)
			// 4 KB buffers rather than 8: every open stream holds a connection
			.setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
				.http1Config(Http1Config.custom().setBufferSize(4096).setChunkSizeHint(4096).build())
				.build())
			.setConnectionConfigResolver(route -> {
				Timeout connect = connectTimeouts
					.get(route.getTargetHost().getHostName() + ":" + route.getTargetHost().getPort());
				return connect == null ? defaults : ConnectionConfig.copy(defaults).setConnectTimeout(connect).build();
			})
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(pool)
			// a gateway passes bytes through: no decompression, cookies, redirects or
			// retries of its own (a POST retried blindly could be billed twice)
			.disableContentCompression()
			.disableCookieManagement()
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableAuthCaching()
			.disableConnectionState()
			.disableDefaultUserAgent()
			.evictIdleConnections(TimeValue.of(properties.upstreamIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
			.build();
	}

	/**
	 * Sends a request and returns once the response headers are in; the caller reads and
	 * closes the response. Reading to the end and closing returns the connection to the
	 * pool; closing early drops it.
	 * @param path e.g. {@code /chat/completions}, appended to the provider's base URL
	 */
	ClassicHttpResponse send(LlmProperties.Provider provider, URI baseUrl, String path, byte[] body, boolean stream)
			throws IOException {
		ClassicRequestBuilder request = ClassicRequestBuilder.post(endpoint(baseUrl, path))
			.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON))
			.addHeader("Accept", stream ? "text/event-stream" : "application/json");
		authorize(request, provider);
		for (Map.Entry<String, String> header : provider.headers().entrySet()) {
			request.addHeader(header.getKey(), header.getValue());
		}
		return execute(request, provider);
	}

	/** A GET, e.g. of {@code /models}. */
	ClassicHttpResponse get(LlmProperties.Provider provider, URI baseUrl, String path) throws IOException {
		ClassicRequestBuilder request = ClassicRequestBuilder.get(endpoint(baseUrl, path))
			.addHeader("Accept", "application/json");
		authorize(request, provider);
		return execute(request, provider);
	}

	private ClassicHttpResponse execute(ClassicRequestBuilder request, LlmProperties.Provider provider)
			throws IOException {
		var built = request.build();
		var context = org.apache.hc.client5.http.protocol.HttpClientContext.create();
		context.setRequestConfig(configs.computeIfAbsent(provider,
				settings -> RequestConfig.custom()
					.setResponseTimeout(Timeout.ofMilliseconds(Math.max(1, settings.readTimeout().toMillis())))
					.setConnectionRequestTimeout(Timeout.ofSeconds(10))
					.build()));
		// no target host: the client takes it from the request's URI
		return client.executeOpen(null, built, context);
	}

	private static void authorize(ClassicRequestBuilder request, LlmProperties.Provider provider) {
		String key = provider.apiKey();
		if (key == null || key.isBlank()) {
			return;
		}
		if ("Authorization".equalsIgnoreCase(provider.apiKeyHeader())) {
			request.addHeader("Authorization", "Bearer " + key);
		}
		else {
			request.addHeader(provider.apiKeyHeader(), key);
		}
	}

	private static String hostAndPort(URI uri) {
		int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
		return uri.getHost() + ":" + port;
	}

	/** The URI of a path under a base URL, parsed once rather than on every request. */
	private URI endpoint(URI base, String path) {
		return endpoints.computeIfAbsent(new Endpoint(base, path), endpoint -> URI.create(join(base, path)));
	}

	private record Endpoint(URI base, String path) {
	}

	static String join(URI base, String path) {
		String url = base.toString();
		return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + path;
	}

	/** A response header's value, or {@code null}. */
	static String header(ClassicHttpResponse response, String name) {
		Header header = response.getFirstHeader(name);
		return header == null ? null : header.getValue();
	}

	/** Connections now open or leased, for the metrics. */
	int openConnections() {
		var stats = pool.getTotalStats();
		return stats.getLeased() + stats.getAvailable();
	}

	@Override
	public void destroy() throws IOException {
		client.close();
	}

}
