import { ref } from 'vue';

/**
 * Hash routes (the console is static files: any path but index.html would need rewriting at the
 * CDN). Eight views and a parameter do not need a router library.
 */
export type Route =
  | { view: 'login' }
  | { view: 'overview' }
  | { view: 'grids' }
  | { view: 'grid'; gridId: string }
  | { view: 'queue' }
  | { view: 'visits' }
  | { view: 'trends' }
  | { view: 'import' }
  | { view: 'screen' };

export function parse(hash: string): Route {
  const [, view = 'overview', arg] = hash.replace(/^#/, '').split('/');
  if (view === 'grid' && arg && /^G\d{3}$/.test(arg)) return { view: 'grid', gridId: arg };
  if (['login', 'overview', 'grids', 'queue', 'visits', 'trends', 'import', 'screen'].includes(view)) return { view } as Route;
  return { view: 'overview' };
}

export const route = ref<Route>(parse(window.location.hash));
window.addEventListener('hashchange', () => (route.value = parse(window.location.hash)));

export function go(to: string): void {
  window.location.hash = to;
}
