package dev.breakglass.circuitbreaker;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Classifies what a call threw as ignored, a failure or a success, by a config's exception
 * types and predicates, in the order {@link CircuitBreakerConfig}'s class comment gives.
 * Immutable; thread-safe as long as the predicates are.
 */
final class Classifier {

  /** An exception that counts as a success. */
  static final int SUCCESS = 0;
  /** An exception that counts as a failure. */
  static final int FAILURE = 1;
  /** An exception that counts as neither. */
  static final int IGNORED = -1;

  private final Class<?>[] recordTypes;
  private final Class<?>[] ignoreTypes;
  private final @Nullable Predicate<? super Throwable> recordPredicate;
  private final @Nullable Predicate<? super Throwable> ignorePredicate;
  /** No record types or predicate: every exception that is not ignored is a failure. */
  private final boolean recordAll;

  Classifier(List<Class<? extends Throwable>> recordTypes,
      List<Class<? extends Throwable>> ignoreTypes,
      @Nullable Predicate<? super Throwable> recordPredicate,
      @Nullable Predicate<? super Throwable> ignorePredicate) {
    this.recordTypes = recordTypes.toArray(new Class<?>[0]);
    this.ignoreTypes = ignoreTypes.toArray(new Class<?>[0]);
    this.recordPredicate = recordPredicate;
    this.ignorePredicate = ignorePredicate;
    this.recordAll = recordTypes.isEmpty() && recordPredicate == null;
  }

  /**
   * Classifies a throwable.
   *
   * @return {@link #IGNORED}, {@link #FAILURE} or {@link #SUCCESS}
   * @throws RuntimeException whatever a predicate threw
   */
  int classify(Throwable error) {
    if (error instanceof CancellationException) {
      return IGNORED; // a cancelled call has no outcome (see CircuitBreakerConfig)
    }
    for (Class<?> type : ignoreTypes) {
      if (type.isInstance(error)) {
        return IGNORED;
      }
    }
    if (ignorePredicate != null && ignorePredicate.test(error)) {
      return IGNORED;
    }
    if (recordAll) {
      return FAILURE;
    }
    for (Class<?> type : recordTypes) {
      if (type.isInstance(error)) {
        return FAILURE;
      }
    }
    if (recordPredicate != null && recordPredicate.test(error)) {
      return FAILURE;
    }
    return SUCCESS;
  }
}
