/**
 * Money as integer pence, exactly: the one place amounts are rounded and written out, for the
 * JSON (`http/money.ts`) and the printed report (`render/pdf/format.ts`) alike. No floats touch
 * an amount; Postgres hands sums over as integer or numeric text (a split total can end in ½p).
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/** Pence from integer or decimal text, rounded half away from zero to a whole penny. */
export function toPence(amount: string | number | bigint): bigint {
  if (typeof amount === 'bigint') return amount;
  const text = typeof amount === 'string' ? amount.trim() : String(amount);
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  let pence = BigInt(m[2] as string);
  if ((m[3] ?? '').charAt(0) >= '5') pence += 1n;
  return m[1] === '-' ? -pence : pence;
}

/** n / d rounded half away from zero, in integers. */
export function divRound(n: bigint, d: bigint): bigint {
  const abs = n < 0n ? -n : n;
  const q = abs / d + ((abs % d) * 2n >= d ? 1n : 0n);
  return n < 0n ? -q : q;
}

/** 1234567 → "1,234,567" (no sign). */
export function groupThousands(n: bigint): string {
  return (n < 0n ? -n : n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Pence written as pounds: `decimals: 2` gives "1234567.89" (exact, for data), `decimals: 0`
 * rounds to whole pounds; `thousands` adds separators and `symbol` a "£" after the sign.
 */
export function formatPence(
  pence: bigint,
  opts: { decimals: 0 | 2; thousands?: boolean; symbol?: boolean },
): string {
  const value = opts.decimals === 2 ? pence : divRound(pence, 100n);
  const abs = value < 0n ? -value : value;
  const sign = value < 0n ? '-' : '';
  const symbol = opts.symbol ? '£' : '';
  if (opts.decimals === 0) return `${sign}${symbol}${opts.thousands ? groupThousands(abs) : abs.toString()}`;
  const whole = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${sign}${symbol}${opts.thousands ? groupThousands(whole) : whole.toString()}.${cents}`;
}
