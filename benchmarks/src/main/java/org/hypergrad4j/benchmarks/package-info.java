/**
 * Benchmark harnesses (engine against PyTorch, second-order products, joint against plain training, heap); run by the scripts in {@code benchmarks/}, never by the tests. Figures are reported in {@code docs/BENCHMARKS.md}.
 */
package org.hypergrad4j.benchmarks;
