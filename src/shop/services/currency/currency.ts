// Currency conversion through EUR. The rates are the numbers the demo 1.11.0
// currency service converts with (units of each currency per euro), so
// converted prices match upstream's.
import { status } from '@grpc/grpc-js';
import { metrics, trace } from '@opentelemetry/api';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Money } from '../../grpc/types';
import { isValidMoney, moneyFromNumber, moneyToNumber } from '../shared/money';

// [ISO 4217 code, units per EUR]. Row order is the order GetSupportedCurrencies
// answers in (the frontend's currency menu).
const RATE_ROWS: ReadonlyArray<readonly [string, number]> = [
  ['EUR', 1],
  ['USD', 1.1305],
  ['JPY', 126.4],
  // European currencies besides the euro
  ['BGN', 1.9558],
  ['CZK', 25.592],
  ['DKK', 7.4609],
  ['GBP', 0.8597],
  ['HUF', 315.51],
  ['PLN', 4.2996],
  ['RON', 4.7463],
  ['SEK', 10.5375],
  ['CHF', 1.136],
  ['ISK', 136.8],
  ['NOK', 9.804],
  ['HRK', 7.421],
  ['RUB', 74.4208],
  ['TRY', 6.1247],
  // Americas, Asia-Pacific and Africa
  ['AUD', 1.6072],
  ['BRL', 4.2682],
  ['CAD', 1.5128],
  ['CNY', 7.5857],
  ['HKD', 8.8743],
  ['IDR', 15999.4],
  ['ILS', 4.0875],
  ['INR', 79.432],
  ['KRW', 1275.05],
  ['MXN', 21.7999],
  ['MYR', 4.6289],
  ['NZD', 1.6679],
  ['PHP', 59.083],
  ['SGD', 1.5349],
  ['THB', 36.012],
  ['ZAR', 16.0583],
];

/** Units of each supported currency per euro. */
export const EUR_RATES: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(RATE_ROWS),
);

function rate(code: string): number {
  const r = Object.hasOwn(EUR_RATES, code) ? EUR_RATES[code] : undefined;
  if (r === undefined) {
    throw new GrpcError(
      status.INVALID_ARGUMENT,
      `unsupported currency code '${code.slice(0, 16)}'`,
    );
  }
  return r;
}

/** Converts `from` to `toCode`: from -> EUR -> to, like upstream. */
export function convert(from: Money, toCode: string): Money {
  const eur = moneyToNumber(from) / rate(from.currencyCode);
  return moneyFromNumber(eur * rate(toCode), toCode);
}

export function currencyHandlers(): Handlers<'CurrencyService'> {
  const counter = metrics.getMeter('currency').createCounter('app.currency_counter', {
    description: 'Counts currency conversions by target currency',
  });
  return {
    GetSupportedCurrencies: async () => {
      trace.getActiveSpan()?.addEvent('Processing supported currencies request');
      return { currencyCodes: Object.keys(EUR_RATES) };
    },
    Convert: async ({ from, toCode }) => {
      const span = trace.getActiveSpan();
      if (!isValidMoney(from))
        throw new GrpcError(status.INVALID_ARGUMENT, 'from: invalid money amount');
      const result = convert(from, toCode);
      span?.setAttribute('app.currency.conversion.from', from.currencyCode);
      span?.setAttribute('app.currency.conversion.to', toCode);
      counter.add(1, { currency_code: toCode });
      return result;
    },
  };
}

export function currencyService(): ServiceBinding {
  return bindService('CurrencyService', currencyHandlers());
}
