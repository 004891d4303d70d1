/**
 * Helpers of the gradient transform (the built-in rules); not API, used only inside the {@code hypergrad} module.
 */
package org.hypergrad4j.autodiff.internal;
