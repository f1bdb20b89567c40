// How many kernels may run at once: on the whole machine, and per person. A
// kernel is charged to the person whose request started it (their notebook
// token's userId: an account id, or `guest:<id>`), from the moment the start is
// decided until its process is gone (died, shut down, idled out). Everyone who
// runs cells on that notebook afterwards uses the same kernel without a charge.
//
// Invariant: `reserve` checks and charges in one synchronous step, so two
// requests starting kernels at the same time can never both pass a limit that
// has room for one. Callers must not await between deciding to start a kernel
// and reserving its slot.
import { KernelRefusal } from './kernel-refusal';

export interface KernelLimits {
  /** Kernels (running or starting) on this machine; 0: no limit. */
  maxTotal: number;
  /** Kernels one person may have charged to them; 0: no limit. */
  maxPerPerson: number;
}

/** Who a kernel is charged to. */
export interface KernelHolder {
  userId: string;
  name: string;
}

/** One charged kernel; `release` is idempotent and frees only this charge. */
export interface KernelSlot {
  readonly notebookId: string;
  readonly holder: KernelHolder;
  release(): void;
}

/** A notebook named in a refusal: the id, and its title when the HTTP layer looked it up. */
export interface NamedNotebook {
  id: string;
  title?: string;
}

/** A refused kernel start, over the person's limit or the machine's. */
export class KernelLimitError extends KernelRefusal {
  constructor(
    readonly limit: 'person' | 'machine',
    readonly max: number,
    /** The person's own kernels (person limit only): the ones they could shut down. */
    readonly notebooks: readonly NamedNotebook[] = [],
  ) {
    super(
      'kernel-limit',
      limit === 'person' ? personLimitMessage(notebooks) : `This machine is already running its maximum of ${max} kernels; try again when one stops.`,
      limit === 'person' ? { limit, max, notebookIds: notebooks.map((n) => n.id) } : { limit, max },
    );
  }

  /** The same refusal naming the notebooks by title (`titles[i]` for `notebooks[i]`; null keeps the id). */
  withTitles(titles: readonly (string | null)[]): KernelLimitError {
    return new KernelLimitError(this.limit, this.max, this.notebooks.map((n, i) => ({ id: n.id, title: titles[i] ?? n.title })));
  }
}

function personLimitMessage(notebooks: readonly NamedNotebook[]): string {
  const names = notebooks.map((n) => (n.title ? `"${n.title}"` : n.id));
  const count = notebooks.length === 1 ? 'a kernel' : `${notebooks.length} kernels`;
  return `You already have ${count} running (notebook${names.length === 1 ? '' : 's'} ${names.join(', ')}), the most one person may run at once; `
    + `shut one down (Run ▾ › Shut down kernel in that notebook) to start another.`;
}

export class KernelQuota {
  private readonly slots = new Set<KernelSlot>();

  constructor(readonly limits: KernelLimits) {}

  /** Kernels charged now (running or starting). */
  get size(): number {
    return this.slots.size;
  }

  /** The notebooks whose kernels are charged to `userId`, oldest charge first. */
  chargedTo(userId: string): string[] {
    return [...this.slots].filter((s) => s.holder.userId === userId).map((s) => s.notebookId);
  }

  /** Throws the KernelLimitError `reserve` would throw for `holder` now, without charging anything. */
  check(holder: KernelHolder): void {
    const { maxTotal, maxPerPerson } = this.limits;
    // The person's own limit first: it is the one they can do something about.
    const own = this.chargedTo(holder.userId);
    if (maxPerPerson && own.length >= maxPerPerson) throw new KernelLimitError('person', maxPerPerson, own.map((id) => ({ id })));
    if (maxTotal && this.slots.size >= maxTotal) throw new KernelLimitError('machine', maxTotal);
  }

  /** Charges a new kernel for `notebookId` to `holder`, or throws KernelLimitError. */
  reserve(notebookId: string, holder: KernelHolder): KernelSlot {
    this.check(holder);
    const slots = this.slots;
    const slot: KernelSlot = {
      notebookId,
      holder: { userId: holder.userId, name: holder.name },
      release: () => { slots.delete(slot); },
    };
    slots.add(slot);
    return slot;
  }
}

/** No limits: every start is allowed (tests and tools that run kernels on their own). */
export const unlimitedKernels: KernelLimits = { maxTotal: 0, maxPerPerson: 0 };
