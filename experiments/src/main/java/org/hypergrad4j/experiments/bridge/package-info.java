/**
 * Adapters from this module's data sets to the bilevel module's {@code LabeledData}.
 */
package org.hypergrad4j.experiments.bridge;
