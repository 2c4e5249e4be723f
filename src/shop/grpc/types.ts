// The demo.proto messages as proto-loader hands them over (camelCase fields,
// int64 as number, defaults filled in). Hand-written because the wire shape is
// small and stable (demo 1.11.0) and a code generator is not worth a process.

export interface Empty {
  readonly [key: string]: never;
}

export interface Money {
  currencyCode: string;
  units: number;
  nanos: number;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  picture: string;
  priceUsd: Money;
  categories: string[];
}

export interface CartItem {
  productId: string;
  quantity: number;
}

export interface Cart {
  userId: string;
  items: CartItem[];
}

export interface Address {
  streetAddress: string;
  city: string;
  state: string;
  country: string;
  zipCode: string;
}

export interface CreditCardInfo {
  creditCardNumber: string;
  creditCardCvv: number;
  creditCardExpirationYear: number;
  creditCardExpirationMonth: number;
}

export interface OrderItem {
  item: CartItem;
  cost: Money;
}

export interface OrderResult {
  orderId: string;
  shippingTrackingId: string;
  shippingCost: Money;
  shippingAddress: Address;
  items: OrderItem[];
}

export interface Ad {
  redirectUrl: string;
  text: string;
}

/** Request and response types of every unary method, by service and method. */
export interface DemoRpcs {
  CartService: {
    AddItem: [{ userId: string; item: CartItem }, Empty];
    GetCart: [{ userId: string }, Cart];
    EmptyCart: [{ userId: string }, Empty];
  };
  RecommendationService: {
    ListRecommendations: [{ userId: string; productIds: string[] }, { productIds: string[] }];
  };
  ProductCatalogService: {
    ListProducts: [Empty, { products: Product[] }];
    GetProduct: [{ id: string }, Product];
    SearchProducts: [{ query: string }, { results: Product[] }];
  };
  ShippingService: {
    GetQuote: [{ address: Address | null; items: CartItem[] }, { costUsd: Money }];
    ShipOrder: [{ address: Address | null; items: CartItem[] }, { trackingId: string }];
  };
  CurrencyService: {
    GetSupportedCurrencies: [Empty, { currencyCodes: string[] }];
    Convert: [{ from: Money | null; toCode: string }, Money];
  };
  PaymentService: {
    Charge: [
      { amount: Money | null; creditCard: CreditCardInfo | null },
      { transactionId: string },
    ];
  };
  EmailService: {
    SendOrderConfirmation: [{ email: string; order: OrderResult | null }, Empty];
  };
  CheckoutService: {
    PlaceOrder: [
      {
        userId: string;
        userCurrency: string;
        address: Address | null;
        email: string;
        creditCard: CreditCardInfo | null;
      },
      { order: OrderResult },
    ];
  };
  AdService: {
    GetAds: [{ contextKeys: string[] }, { ads: Ad[] }];
  };
}

export type ServiceName = keyof DemoRpcs;
export type Req<S extends ServiceName, M extends keyof DemoRpcs[S]> = DemoRpcs[S][M] extends [
  infer Q,
  unknown,
]
  ? Q
  : never;
export type Res<S extends ServiceName, M extends keyof DemoRpcs[S]> = DemoRpcs[S][M] extends [
  unknown,
  infer R,
]
  ? R
  : never;
