/**
 * Implementation support shared by the breakglass modules; not API. This package is exported
 * only to the breakglass modules (a qualified export), so applications on the module path
 * cannot see it; on the class path it is visible but carries no compatibility promise.
 */
@NullMarked
package dev.breakglass.core.internal;

import org.jspecify.annotations.NullMarked;
