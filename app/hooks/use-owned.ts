// An object that holds connections (a notebook session, a kernel client): built
// after commit for the given inputs, destroyed when they change or the component
// leaves, and null before that (and while rendering on the server).
import { useEffect, useState, type DependencyList } from 'react';

export interface Owned {
  destroy(): void;
}

/** `create()` runs in an effect each time `deps` change; it may return null (nothing to own). */
export function useOwned<T extends Owned>(create: () => T | null, deps: DependencyList): T | null {
  const [owned, setOwned] = useState<T | null>(null);
  useEffect(() => {
    const created = create();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- it opens sockets, so it is built after commit, and the render must then show it
    setOwned(created);
    return () => {
      created?.destroy();
      setOwned(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what create() depends on
  }, deps);
  return owned;
}
