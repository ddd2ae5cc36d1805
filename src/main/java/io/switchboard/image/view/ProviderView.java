package io.switchboard.image.view;

/** A configured image provider as the studio lists it. */
public record ProviderView(String name, String type, boolean demo, boolean isDefault) {
}
