/** What the kernel and the JVM say about a process: CPU time and resident memory from /proc, heap from jcmd. */
package io.aigateway.bench.proc;
