// TensorBoard's debiased exponential moving average.
//
// smoothed[i] = ema[i] / (1 - weight^n), where ema[i] = weight * ema[i-1] + (1 - weight) * value[i],
// ema starts at 0 and n counts the finite values seen so far. Dividing by (1 - weight^n) removes the
// pull towards 0 at the start. NaN and +-Inf pass through unchanged and leave the average alone;
// a series whose finite values are all equal is returned as it is (no floating-point wobble).

export function smooth(values, weight) {
  const finite = values.filter(Number.isFinite);
  const constant = finite.every((v) => v === finite[0]);
  if (!(weight > 0) || constant) return values.slice();
  const out = new Array(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = value;
      continue;
    }
    last = last * weight + (1 - weight) * value;
    count += 1;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, count);
    out[i] = last / debias;
  }
  return out;
}
