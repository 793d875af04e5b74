package dev.breakglass.samples.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/**
 * Stands in for the shop's connections, consumers and caches: closing one records its name, in
 * the order they were closed. Thread-safe.
 */
@Service
public class ShopResources {

  private final List<String> closed = new CopyOnWriteArrayList<>();

  /** Creates the resources; Spring calls this. */
  public ShopResources() {}

  /**
   * Closes a resource.
   *
   * @param name the resource's name
   */
  public void close(String name) {
    closed.add(name);
  }

  /**
   * Returns the names of the closed resources, in the order they were closed.
   *
   * @return a snapshot
   */
  public List<String> closed() {
    return List.copyOf(closed);
  }
}
