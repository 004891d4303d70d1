/** Salehi, Mukherjee, Roberts, Ehrhardt, "An adaptively inexact first-order method for bilevel optimization" (MAID), against HOAG. */
package org.hypergrad4j.repro.salehi;
