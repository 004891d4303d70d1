/**
 * File operations that survive a kill at any instant (write and sync, atomic rename, folder sync), with the fault points the crash tests halt at.
 */
package org.hypergrad4j.bilevel.io;
