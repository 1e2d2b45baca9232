// The URL hash: the canonical configuration of the run a page shows (its link).

/** The page's URL hash without its "#" (as the browser keeps it: maybe percent-encoded). */
export const currentHash = () => location.hash.replace(/^#/, "");

function decoded(hash) {
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
}

/** Whether two hashes say the same, whichever characters the browser percent-encoded. */
export const sameHash = (a, b) => a === b || decoded(a) === decoded(b);
