package dev.breakglass.cascade.lifecycle;

import java.util.Arrays;

/**
 * A binary min-heap of (ticker reading, value), compared wrap-safely by subtraction: the
 * {@link Engine}'s timers.
 *
 * <p>Not thread-safe: confined to the engine's coordinating thread.
 */
final class DeadlineHeap {
  private long[] keys;
  private long[] values;
  private int size;

  DeadlineHeap(int capacity) {
    keys = new long[Math.max(1, capacity)];
    values = new long[Math.max(1, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekKey() {
    return keys[0];
  }

  void push(long key, long value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[parent] - key <= 0) {
        break;
      }
      keys[i] = keys[parent];
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  long pop() {
    long top = values[0];
    long lastKey = keys[--size];
    long lastValue = values[size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && keys[child + 1] - keys[child] < 0) {
        child++;
      }
      if (lastKey - keys[child] <= 0) {
        break;
      }
      keys[i] = keys[child];
      values[i] = values[child];
      i = child;
    }
    keys[i] = lastKey;
    values[i] = lastValue;
    return top;
  }
}
