// Settings a user expects to keep from one session to the next (smoothing, x axis, theme, tooltip
// sorting, ...), kept in the browser's localStorage. The URL still wins: a key the query string gives
// is used as it is, and only a choice the user makes is stored, so opening a shared link never
// rewrites one's own preferences.

const STORAGE_KEY = "liteboard.settings";

function stored() {
  try {
    const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY));
    return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {};
  } catch {
    return {}; // storage disabled, or not JSON: nothing remembered
  }
}

// Whether `value` can stand for a url_state.js spec type ("list", "number", "boolean", "string").
function fits(type, value) {
  if (type === "list") return Array.isArray(value) && value.every((item) => typeof item === "string");
  if (type === "number") return Number.isFinite(value);
  return typeof value === type;
}

// Set state[key] from what was stored, for each of `keys` that the URL does not give and whose
// stored value has the type `spec` (a url_state.js spec) names. The page validates values as it
// does for the URL's.
export function restoreSettings(spec, keys, state) {
  const query = new URLSearchParams(window.location.search);
  const saved = stored();
  for (const key of keys) {
    if (query.has(key) || !(key in saved)) continue;
    if (fits(spec[key][0], saved[key])) state[key] = saved[key];
  }
}

// Store state[key] for each of `keys` (a Set is stored as its list), keeping the other keys stored.
export function rememberSettings(keys, state) {
  const saved = stored();
  for (const key of keys) saved[key] = state[key] instanceof Set ? [...state[key]] : state[key];
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // storage full or disabled: the setting lasts for this page only
  }
}
