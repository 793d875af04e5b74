package dev.breakglass.cascade.lifecycle;

import java.util.Arrays;

/**
 * A binary min-heap of ints: the {@link Engine}'s ready nodes, by plan position.
 *
 * <p>Not thread-safe: confined to the engine's coordinating thread.
 */
final class IntHeap {
  private int[] heap;
  private int size;

  IntHeap(int capacity) {
    heap = new int[Math.max(1, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  void push(int value) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= value) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = value;
  }

  int pop() {
    int top = heap[0];
    int last = heap[--size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (last <= heap[child]) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
