/**
 * The bilevel framework: {@link org.hypergrad4j.bilevel.Hpo}, the fluent facade over problem, optimisers and trainer.
 */
package org.hypergrad4j.bilevel;
