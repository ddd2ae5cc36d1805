package io.switchboard.tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

import io.switchboard.assistant.AssistantTool.ToolFailure;
import io.switchboard.assistant.ToolProperties;

/**
 * Fetches a web page for a model without letting it reach what only the server can reach
 * (server-side request forgery): every host is resolved by a resolver that refuses
 * loopback, private, link-local (the cloud metadata address 169.254.169.254 among them),
 * unique-local, shared and multicast addresses, and the connection goes to exactly the
 * addresses it checked, so a name cannot resolve differently in between. Redirects are
 * followed by hand, each hop checked again; the body is read up to a size limit and the
 * whole fetch to a deadline.
 */
final class WebFetch {

	/** A fetched page: where it ended up, its type, and its text (maybe cut). */
	record Page(URI url, String contentType, String body, boolean cut) {
	}

	private final ToolProperties.Fetch settings;

	private final DnsResolver resolver;

	WebFetch(ToolProperties.Fetch settings) {
		this(settings, SystemDefaultDnsResolver.INSTANCE);
	}

	WebFetch(ToolProperties.Fetch settings, DnsResolver system) {
		this.settings = settings;
		this.resolver = new CheckingResolver(system, settings);
	}

	Page fetch(String url) {
		URI uri = parse(url);
		long deadline = System.nanoTime() + settings.timeout().toNanos();
		try (CloseableHttpClient client = client()) {
			for (int hop = 0;; hop++) {
				// checked before connecting too, for a clear message (the resolver
				// checks again, on the addresses it connects to)
				resolver.resolve(uri.getHost());
				long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
				RequestConfig config = RequestConfig.custom()
					.setRedirectsEnabled(false)
					.setResponseTimeout(Timeout.ofMilliseconds(left))
					.setConnectionRequestTimeout(Timeout.ofMilliseconds(left))
					.build();
				var request = ClassicRequestBuilder.get(uri)
					.addHeader("Accept", "text/html,text/plain,application/json;q=0.9,*/*;q=0.1")
					.addHeader("User-Agent", "Switchboard/1 (fetch tool)")
					.build();
				HttpClientContext context = HttpClientContext.create();
				context.setRequestConfig(config);
				URI at = uri;
				Page page = client.execute(request, context, response -> read(response, at));
				if (page.url() == null) {
					// a redirect: body holds where to
					if (hop >= settings.maxRedirects()) {
						throw new ToolFailure("Too many redirects (more than " + settings.maxRedirects() + ").");
					}
					uri = parse(uri.resolve(page.body()).toString());
					continue;
				}
				if (System.nanoTime() > deadline) {
					throw new ToolFailure("The page took longer than " + settings.timeout().toSeconds() + " s.");
				}
				return page;
			}
		}
		catch (ToolFailure failure) {
			throw failure;
		}
		catch (Refused refused) {
			throw new ToolFailure(refused.getMessage());
		}
		catch (UnknownHostException unknown) {
			throw new ToolFailure("No such host: " + uri.getHost() + ".");
		}
		catch (IOException broken) {
			Throwable cause = broken.getCause() instanceof Refused refused ? refused : broken;
			if (cause instanceof Refused refused) {
				throw new ToolFailure(refused.getMessage());
			}
			throw new ToolFailure("Could not fetch " + uri + ": " + broken.getMessage());
		}
	}

	private CloseableHttpClient client() {
		Timeout timeout = Timeout.of(settings.timeout());
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(resolver)
				.setDefaultConnectionConfig(
						ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.setProxy(null)
			.build();
	}

	private Page read(ClassicHttpResponse response, URI uri) throws IOException {
		int status = response.getCode();
		if (status >= 300 && status < 400) {
			Header location = response.getFirstHeader("Location");
			if (location == null) {
				throw new ToolFailure("The page redirects (HTTP " + status + ") without saying where.");
			}
			return new Page(null, null, location.getValue(), false);
		}
		if (status >= 400) {
			throw new ToolFailure("The server answered HTTP " + status + " for " + uri + ".");
		}
		ContentType type = response.getEntity() == null ? ContentType.TEXT_PLAIN
				: ContentType.parseLenient(response.getEntity().getContentType());
		String mime = type == null ? "text/plain" : type.getMimeType().toLowerCase(Locale.ROOT);
		if (!(mime.startsWith("text/") || mime.contains("json") || mime.contains("xml"))) {
			throw new ToolFailure("Not a text page: " + mime + ".");
		}
		long max = settings.maxBytes().toBytes();
		byte[] bytes;
		boolean cut;
		try (InputStream body = response.getEntity() == null ? InputStream.nullInputStream()
				: response.getEntity().getContent()) {
			bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
			cut = bytes.length > max;
			if (cut) {
				bytes = Arrays.copyOf(bytes, (int) max);
			}
		}
		Charset charset = type != null && type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
		return new Page(uri, mime, new String(bytes, charset), cut);
	}

	private static URI parse(String url) {
		URI uri;
		try {
			uri = new URI(url == null ? "" : url.strip());
		}
		catch (URISyntaxException bad) {
			throw new ToolFailure("Not a URL: " + url);
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new ToolFailure("Only http and https pages can be fetched, not " + url);
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new ToolFailure("The URL names no host: " + url);
		}
		if (uri.getUserInfo() != null) {
			throw new ToolFailure("URLs with a user name or password are not fetched.");
		}
		return uri;
	}

	/** Why an address is not fetched; an IOException so the HTTP client passes it on. */
	static final class Refused extends UnknownHostException {

		Refused(String message) {
			super(message);
		}

	}

	/** Resolves with the system, then refuses the whole name if any address is inward. */
	private static final class CheckingResolver implements DnsResolver {

		private final DnsResolver system;

		private final ToolProperties.Fetch settings;

		CheckingResolver(DnsResolver system, ToolProperties.Fetch settings) {
			this.system = system;
			this.settings = settings;
		}

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
			InetAddress[] addresses = system.resolve(name);
			if (settings.allowPrivate() || settings.allowHosts().contains(name.toLowerCase(Locale.ROOT))) {
				return addresses;
			}
			for (InetAddress address : addresses) {
				String why = inward(address);
				if (why != null) {
					// every address, since a client may try any of them
					throw new Refused("Refused to fetch " + name + ": it resolves to " + address.getHostAddress() + ", "
							+ why + ". Only public addresses may be fetched.");
				}
			}
			return addresses;
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			return system.resolveCanonicalHostname(host);
		}

	}

	/** Why an address is not public, or {@code null} when it is. */
	static String inward(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return "a loopback address";
		}
		if (address.isAnyLocalAddress()) {
			return "an unspecified address";
		}
		if (address.isLinkLocalAddress()) {
			return "a link-local address (cloud metadata lives there)";
		}
		if (address.isSiteLocalAddress()) {
			return "a private address";
		}
		if (address.isMulticastAddress()) {
			return "a multicast address";
		}
		byte[] raw = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = raw[0] & 0xff;
			int second = raw[1] & 0xff;
			if (first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
					|| (first == 192 && second == 0 && (raw[2] & 0xff) == 0)
					|| (first == 198 && (second & 0xfe) == 18)) {
				return "a reserved or shared address";
			}
		}
		if (address instanceof Inet6Address) {
			if ((raw[0] & 0xfe) == 0xfc) {
				return "a unique-local address";
			}
			// IPv4 inside IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::/96): judge the IPv4
			// address
			boolean mapped = isZero(raw, 0, 10) && (raw[10] & 0xff) == 0xff && (raw[11] & 0xff) == 0xff;
			boolean nat64 = (raw[0] & 0xff) == 0x00 && (raw[1] & 0xff) == 0x64 && (raw[2] & 0xff) == 0xff
					&& (raw[3] & 0xff) == 0x9b;
			if (mapped || nat64) {
				try {
					return inward(InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16)));
				}
				catch (UnknownHostException impossible) {
					return "an unreadable address";
				}
			}
		}
		return null;
	}

	private static boolean isZero(byte[] raw, int from, int to) {
		for (int i = from; i < to; i++) {
			if (raw[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
