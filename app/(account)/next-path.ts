// Where to go after signing in: only a path on this site, never another origin
// (`//evil.example` and `/\evil.example` are other origins to a browser).
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}
