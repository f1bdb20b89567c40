// Cross-site request refusal for state-changing API routes. Cookies ride along
// on a form post from any site (SameSite=Lax still sends them on top-level
// POST navigations from same-site origins, and older browsers send them
// always), so a route that changes something must see that the request came
// from a page of this app. Browsers say where a request comes from in
// Sec-Fetch-Site and Origin; a request with neither is not from a browser page
// (curl, scripts), which cannot ride on someone else's cookies.
// (Server actions get the same check from Next.js itself.)

export class CrossSiteRequestError extends Error {
  readonly status = 403;
  constructor() {
    super('Refused: this request came from another site. Use Cellmate\'s own pages.');
    this.name = 'CrossSiteRequestError';
  }
}

/** Throws CrossSiteRequestError unless the request is from this app's origin (or not from a browser page). */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw new CrossSiteRequestError();
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new CrossSiteRequestError(); // includes the opaque "null" origin of sandboxed frames
  }
  if (!host || originHost !== host) throw new CrossSiteRequestError();
}
