/* signals.h — private to pipeline/: SIGINT/SIGTERM during a run.
 *
 * Supervisors (the batch parent, a pack process) forward the signal to their
 * children and note it; the main flow checks of_signals_caught() at each step
 * and cleans up. Leaves (a stage child) remove their temporary files with
 * of_atomic_cleanup_all() and die from the signal. Either way no partial
 * output file is left behind. */
#ifndef ONEFISH_PIPELINE_SIGNALS_H
#define ONEFISH_PIPELINE_SIGNALS_H

#include <sys/types.h>

/** Installs the supervisor handlers for SIGINT and SIGTERM (idempotent). */
void of_signals_install(void);

/** In a freshly forked child: forget the parent's children; `leaf` makes the handler die after cleanup. */
void of_signals_after_fork(int leaf);

/** Registers / forgets a child pid the handler forwards signals to. */
void of_signals_add_child(pid_t pid);
void of_signals_remove_child(pid_t pid);

/** The signal caught so far (SIGINT, SIGTERM) or 0. */
int of_signals_caught(void);

/** Exit code for an interrupted run: 128 + signal. */
int of_signals_exit_code(void);

#endif
