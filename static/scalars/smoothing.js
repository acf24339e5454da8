// TensorBoard's debiased exponential moving average, as one running average over a whole series.
//
// smoothed[i] = ema[i] / (1 - weight^n), where ema[i] = weight * ema[i-1] + (1 - weight) * value[i],
// ema starts at 0 and n counts the finite values seen so far. Dividing by (1 - weight^n) removes the
// pull towards 0 at the start. NaN and +-Inf pass through unchanged and leave the average alone;
// a series whose finite values are all equal is returned as it is (no floating-point wobble).
//
// The average's state ({ema, count}) is explicit so that a piece of a series (a zoomed window, points
// appended by live refresh) can continue the average of what came before instead of restarting it.

export const FRESH = Object.freeze({ ema: 0, count: 0 });

export function isConstant(values) {
  let first = null;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (first === null) first = value;
    else if (value !== first) return false;
  }
  return true;
}

// Feed `values` to an average in `state`; returns the smoothed values and the state after them.
export function runAverage(values, weight, state = FRESH) {
  const out = new Array(values.length);
  let { ema, count } = state;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = value;
      continue;
    }
    ema = ema * weight + (1 - weight) * value;
    count += 1;
    out[i] = weight === 1 ? ema : ema / (1 - Math.pow(weight, count));
  }
  return { smoothed: out, state: { ema, count } };
}

// The smoothed values of `values`, continuing the average in `from`. `constant` says whether the
// whole series is constant; a caller continuing an average knows more of the series than this piece,
// so it must say (by default only an unseeded piece is checked).
export function smooth(values, weight, { from = FRESH, constant = from.count === 0 && isConstant(values) } = {}) {
  if (!(weight > 0) || constant) return values.slice();
  return runAverage(values, weight, from).smoothed;
}
