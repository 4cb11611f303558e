import { formatPence, toPence } from '../domain/money.ts';

/**
 * Money as the API shows it: exact pence and a pounds string, never a float. Amounts come from
 * Postgres as integer or numeric text (a split-policy total can end in half a penny).
 */
export interface Money {
  /** Pence, rounded half away from zero to a whole penny. */
  pence: number;
  /** Pounds with two decimals, e.g. "12345.67". */
  pounds: string;
}

export function money(amount: string | number | bigint | null): Money | null {
  if (amount === null) return null;
  const pence = toPence(amount);
  return { pence: Number(pence), pounds: formatPence(pence, { decimals: 2 }) };
}

/** `money` for an amount that is always present (a sum, a total). */
export function moneyOf(amount: string | number | bigint): Money {
  return money(amount) as Money;
}
