package dev.breakglass.core;

import java.util.Objects;

/** The listener {@link EventListener#named} returns: immutable, so thread-safe if its delegate is. */
final class NamedEventListener<E> implements EventListener<E> {
  private final String name;
  private final EventListener<E> delegate;

  NamedEventListener(String name, EventListener<E> delegate) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(delegate, "listener");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public void onEvent(E event) {
    delegate.onEvent(event);
  }

  @Override
  public String toString() {
    return name;
  }
}
