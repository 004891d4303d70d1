/**
 * The README's main job: per-weight decays on the bundled digits through the {@link org.hypergrad4j.bilevel.Hpo} facade, with a run folder.
 */
package org.hypergrad4j.experiments.demo;
