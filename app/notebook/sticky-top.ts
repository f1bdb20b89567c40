// The notebook page's sticky top (header, toolbar, and the banners kept with
// them) covers whatever scrolls under it; its height changes with the banners
// shown and the person's role (a viewer has no toolbar), so it is measured,
// never assumed.

/** Bottom of the sticky top, in viewport pixels (0 on a page without one). */
export function coveredTop(): number {
  const top = document.querySelector('.notebook-top');
  return top ? Math.max(0, top.getBoundingClientRect().bottom) : 0;
}
