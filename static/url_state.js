// Page state in the query string, so a view can be shared and reloaded.
//
// A spec maps each key to its type and default: {smoothing: ["number", 0.6], run: ["list", null], ...}.
// Values equal to their default are left out of the URL; lists are repeated parameters (?run=a&run=b).
// A page keeps all its state in the object readState returns: writeState writes only the spec's keys,
// so the same object may also hold what the URL does not (the runs loaded, an open request).

export function readState(spec) {
  const query = new URLSearchParams(window.location.search);
  const state = {};
  for (const [key, [type, fallback]] of Object.entries(spec)) {
    if (type === "list") {
      state[key] = query.has(key) ? query.getAll(key) : fallback;
      continue;
    }
    const raw = query.get(key);
    if (raw === null) {
      state[key] = fallback;
    } else if (type === "number") {
      const value = Number(raw);
      state[key] = Number.isFinite(value) ? value : fallback;
    } else if (type === "boolean") {
      state[key] = raw === "1" || raw === "true";
    } else {
      state[key] = raw;
    }
  }
  return state;
}

export function writeState(spec, state) {
  const query = new URLSearchParams();
  for (const [key, [type, fallback]] of Object.entries(spec)) {
    const value = state[key];
    if (type === "list") {
      if (value !== null && value !== undefined) {
        if (value.length === 0) query.append(key, "");
        for (const item of value) query.append(key, item);
      }
    } else if (value !== fallback && value !== undefined && value !== null) {
      query.set(key, type === "boolean" ? (value ? "1" : "0") : String(value));
    }
  }
  const text = query.toString();
  const url = `${window.location.pathname}${text ? `?${text}` : ""}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, "", url);
  }
}
