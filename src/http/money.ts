/**
 * Money as the API shows it: exact pence and a pounds string, never a float. Amounts come from
 * Postgres as integer or numeric text (a split-policy total can end in half a penny).
 */
export interface Money {
  /** Pence, rounded half-up to a whole penny. */
  pence: number;
  /** Pounds with two decimals, e.g. "12345.67". */
  pounds: string;
}

export function money(amount: string | number | bigint | null): Money | null {
  if (amount === null) return null;
  const text = typeof amount === 'string' ? amount.trim() : String(amount);
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  const negative = m[1] === '-';
  let pence = BigInt(m[2] as string);
  if ((m[3] ?? '').charAt(0) >= '5') pence += 1n; // half-up on the first decimal of the pence
  const abs = pence.toString().padStart(3, '0');
  const pounds = `${negative && pence !== 0n ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
  return { pence: Number(negative ? -pence : pence), pounds };
}
