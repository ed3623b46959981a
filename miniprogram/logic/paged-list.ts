/**
 * Infinite scroll over a cursor-paginated route: the state a list page renders, and the two
 * moves it makes (first page with filters, next page on reaching the bottom). Plain TS: the page
 * only copies `state` into setData.
 */
export interface ListState<T, F> {
  items: T[];
  filters: F;
  cursor: string | null;
  loading: boolean;
  done: boolean;
  error: string | null;
}

export function createPagedList<T, F>(fetchPage: (filters: F, cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, initial: F) {
  let state: ListState<T, F> = { items: [], filters: initial, cursor: null, loading: false, done: false, error: null };
  let generation = 0;

  async function load(reset: boolean): Promise<ListState<T, F>> {
    if (state.loading && !reset) return state;
    if (state.done && !reset) return state;
    const mine = ++generation;
    state = { ...state, loading: true, error: null, ...(reset ? { items: [], cursor: null, done: false } : {}) };
    try {
      const page = await fetchPage(state.filters, state.cursor ?? undefined);
      // A newer filter change won: drop this stale answer.
      if (mine !== generation) return state;
      state = { ...state, items: [...state.items, ...page.items], cursor: page.nextCursor, done: page.nextCursor === null, loading: false };
    } catch (err) {
      if (mine === generation) state = { ...state, loading: false, error: (err as Error).message };
    }
    return state;
  }

  return {
    get state() {
      return state;
    },
    refresh: () => load(true),
    more: () => load(false),
    setFilters(filters: F) {
      state = { ...state, filters };
      return load(true);
    },
  };
}
