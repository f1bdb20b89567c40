// A notebook id as the name of one folder (a kernel's, a fresh run's): no path
// separators, no leading dots, never empty.
export function safeFolderName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
}
