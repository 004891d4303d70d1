/** Lorraine, Vicol, Duvenaud, "Optimizing Millions of Hyperparameters by Implicit Differentiation" (AISTATS 2020): experiments (a) and (e). */
package org.hypergrad4j.repro.lorraine2020;
