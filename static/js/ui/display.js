// How the page shows itself: presentation mode for a projector (the Present button, the p
// key, or `?present` in the address, so a lesson link can open in it) and the high-contrast
// theme (its button, remembered on this computer, or the system's "more contrast"). Both
// are classes on <html> that the stylesheets read; the views that measure their boxes
// re-measure after a change, and after the system's colour scheme changes.
import { byId } from "./dom.js";

const PRESENT_PARAM = "present";
const CONTRAST_KEY = "neural-playground.contrast";

/** The diagram, the map and the chart measure their boxes (and read the theme) on resize. */
function relayout() {
  window.dispatchEvent(new Event("resize"));
}

function storedContrast() {
  try {
    return localStorage.getItem(CONTRAST_KEY) === "1";
  } catch {
    return false;
  }
}

/** The address with or without `?present` (other query parameters and the hash kept). */
export function presentUrl(url, on) {
  const { origin, pathname, search, hash } = new URL(url);
  const params = new URLSearchParams(search);
  params.delete(PRESENT_PARAM);
  const query = [on ? PRESENT_PARAM : "", params.toString()].filter(Boolean).join("&");
  return `${origin}${pathname}${query ? `?${query}` : ""}${hash}`;
}

/** @param keys the page's keyboard (ui/keys.js): the p key toggles presentation mode */
export function createDisplay(keys) {
  const root = document.documentElement;
  const presentButton = byId("present-toggle");
  const contrastButton = byId("contrast-toggle");

  function setPresent(on, { updateUrl = true } = {}) {
    root.classList.toggle("present", on);
    presentButton.setAttribute("aria-pressed", String(on));
    if (updateUrl) history.replaceState(history.state, "", presentUrl(location.href, on));
    relayout();
  }

  function setContrast(on, { remember = true } = {}) {
    root.classList.toggle("contrast", on);
    contrastButton.setAttribute("aria-pressed", String(on));
    if (remember) {
      try {
        localStorage.setItem(CONTRAST_KEY, on ? "1" : "");
      } catch {
        // storage disabled: the choice lasts until the page closes
      }
    }
    relayout();
  }

  presentButton.addEventListener("click", () => setPresent(!root.classList.contains("present")));
  contrastButton.addEventListener("click", () => setContrast(!root.classList.contains("contrast")));
  keys.bind({ keys: ["p", "P"], run: () => setPresent(!root.classList.contains("present")) });

  const moreContrast = window.matchMedia("(prefers-contrast: more)");
  const scheme = window.matchMedia("(prefers-color-scheme: dark)");
  moreContrast.addEventListener("change", () => setContrast(moreContrast.matches || storedContrast(), { remember: false }));
  scheme.addEventListener("change", relayout);

  const present = new URLSearchParams(location.search).has(PRESENT_PARAM);
  if (present) setPresent(true, { updateUrl: false });
  if (storedContrast() || moreContrast.matches) setContrast(true, { remember: false });
}
