// Transaction origins: who made a change. Observers use them to tell a local
// keystroke from a kernel output or a server repair, and undo tracks only the
// local user's origin, so undo never reverts someone else's work.

/** Changes written by the kernel bridge (outputs, execution counts and states). */
export const kernelOrigin = 'cellmate:kernel';
/** Changes made while importing or replacing a whole notebook. */
export const importOrigin = 'cellmate:import';
/** Repairs the collab server makes to keep the document well-formed. */
export const repairOrigin = 'cellmate:repair';
