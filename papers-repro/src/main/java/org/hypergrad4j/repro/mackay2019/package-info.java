/** MacKay, Vicol, Lorraine, Duvenaud, Grosse, "Self-Tuning Networks" (ICLR 2019): dropout schedules on Fashion-MNIST. */
package org.hypergrad4j.repro.mackay2019;
