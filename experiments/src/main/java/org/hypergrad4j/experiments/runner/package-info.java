/**
 * The experiments the command line runs (weight decay by implicit differentiation, the decay-search baseline), their progress line and summary text.
 */
package org.hypergrad4j.experiments.runner;
