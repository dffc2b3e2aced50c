// `$round(n, precision)` without strings where that provably gives the library's result.
//
// The library shifts the decimal point through strings: `+(n.toString() + 'e' + precision)`, i.e. the double
// nearest to the shortest decimal form of n times 10^precision, rounds half to even, then shifts back the same
// way. The float product `x = n * 10^precision` differs from that shifted value by at most about three units
// in the last place of x. So whenever x lies clearly away from every half-integer (by a relative margin far
// above that error), both round to the same integer R without a tie, and the shift back, the double nearest to
// R × 10^-precision, is exactly `R / 10^precision` (R and 10^precision are exact doubles, and IEEE division
// rounds correctly). Everything else (ties, near-ties, large or odd arguments) goes to the library.

type Round = (arg: number | undefined, precision?: number) => number | undefined;

const POWERS = Array.from({ length: 16 }, (_, i) => 10 ** i);
const LARGEST = 2 ** 45;
const RELATIVE_MARGIN = 2 ** -44;

/** Wraps the library's `$round` implementation with the exact fast path for precisions 1 to 15. */
export function fastRound(library: Round): Round {
  return (arg, precision) => {
    if (typeof arg !== 'number' || precision === undefined || !Number.isInteger(precision) || precision < 1 || precision > 15) {
      return library(arg, precision);
    }
    const scale = POWERS[precision]!;
    const x = arg * scale;
    if (!(Math.abs(x) < LARGEST)) return library(arg, precision);
    const fraction = x - Math.floor(x);
    if (!(Math.abs(fraction - 0.5) > (Math.abs(x) + 1) * RELATIVE_MARGIN)) return library(arg, precision);
    const result = Math.round(x) / scale;
    return result === 0 ? 0 : result;
  };
}
