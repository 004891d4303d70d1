/**
 * Self-tuning networks (MacKay et al. 2019): best-response layers, hyperparameters with their ranges, augmentation, and the STN trainer on the training loop.
 */
package org.hypergrad4j.hypernets.stn;
