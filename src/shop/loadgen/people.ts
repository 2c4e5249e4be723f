// Shoppers for checkout requests, in the shape of the frontend's checkout
// body (upstream `PlaceOrderRequest` fields in camelCase). Made-up people;
// card numbers are well-known test numbers.

export interface Person {
  readonly email: string;
  readonly address: {
    readonly streetAddress: string;
    readonly zipCode: string;
    readonly city: string;
    readonly state: string;
    readonly country: string;
  };
  readonly userCurrency: string;
  readonly creditCard: {
    readonly creditCardNumber: string;
    readonly creditCardExpirationMonth: number;
    readonly creditCardExpirationYear: number;
    readonly creditCardCvv: number;
  };
}

export const PEOPLE: readonly Person[] = [
  {
    email: 'ada@example.com',
    address: {
      streetAddress: '12 Analytical Row',
      zipCode: '94043',
      city: 'Mountain View',
      state: 'CA',
      country: 'United States',
    },
    userCurrency: 'USD',
    creditCard: {
      creditCardNumber: '4111-1111-1111-1111',
      creditCardExpirationMonth: 1,
      creditCardExpirationYear: 2039,
      creditCardCvv: 672,
    },
  },
  {
    email: 'grace@example.com',
    address: {
      streetAddress: '1 Compiler Way',
      zipCode: '98052',
      city: 'Redmond',
      state: 'WA',
      country: 'United States',
    },
    userCurrency: 'USD',
    creditCard: {
      creditCardNumber: '5555-5555-5555-4444',
      creditCardExpirationMonth: 4,
      creditCardExpirationYear: 2038,
      creditCardCvv: 117,
    },
  },
  {
    email: 'emmy@example.com',
    address: {
      streetAddress: 'Bunsenstrasse 3',
      zipCode: '37073',
      city: 'Goettingen',
      state: 'NI',
      country: 'Germany',
    },
    userCurrency: 'EUR',
    creditCard: {
      creditCardNumber: '4012-8888-8888-1881',
      creditCardExpirationMonth: 12,
      creditCardExpirationYear: 2040,
      creditCardCvv: 904,
    },
  },
  {
    email: 'alan@example.com',
    address: {
      streetAddress: '7 Bletchley Lane',
      zipCode: 'MK3 6EB',
      city: 'Milton Keynes',
      state: 'Buckinghamshire',
      country: 'United Kingdom',
    },
    userCurrency: 'GBP',
    creditCard: {
      creditCardNumber: '4000-0566-5566-5556',
      creditCardExpirationMonth: 7,
      creditCardExpirationYear: 2037,
      creditCardCvv: 388,
    },
  },
];
