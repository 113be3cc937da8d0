// A stand-in for the network in component tests: answers like api-service versions would (or like
// the router's 410), and records every request. It replaces fetch only; the code under test is real.

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Answer = { status: number; version: string | null; body: unknown };

export class TestBackend {
  readonly requests: Recorded[] = [];
  /** Decides each answer; replace it to change what the "server" does next. */
  handler: (request: Recorded) => Answer;

  constructor(handler: (request: Recorded) => Answer) {
    this.handler = handler;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const request: Recorded = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
    };
    this.requests.push(request);
    const answer = this.handler(request);
    const responseHeaders: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.version !== null) {
      responseHeaders['x-deployment-id'] = answer.version;
    }
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: responseHeaders });
  };
}

export const V1_ITEMS = {
  items: [
    { id: 'espresso-beans', name: 'Espresso beans, 1 kg', price: 24.5, currency: 'EUR', stock: 1000 },
    { id: 'paper-filters', name: 'Paper filters, 100 pack', price: 6.5, currency: 'EUR', stock: 1000 },
  ],
};

export const V2_ITEMS = {
  items: [
    { sku: 'espresso-beans', title: 'Espresso beans, 1 kg', price: { amountMinor: 2450, currency: 'EUR' }, inStock: 1000 },
  ],
  count: 1,
};

/** A v1 backend: items, and orders in the v1 shape (anything else is a 422 problem). */
export function v1Backend(version = 'v1'): (request: Recorded) => Answer {
  // Orders take stock, as api-service's do, so a refreshed catalogue shows the new figure.
  const stock = new Map(V1_ITEMS.items.map((item) => [item.id, item.stock]));
  return (request) => {
    if (request.url.endsWith('/api/items')) {
      return { status: 200, version, body: { items: V1_ITEMS.items.map((item) => ({ ...item, stock: stock.get(item.id) })) } };
    }
    const body = request.body as { itemId?: string; quantity?: number };
    if (typeof body?.itemId !== 'string') {
      return { status: 422, version, body: { detail: 'not v1', errors: [{ field: 'itemId', message: 'required' }] } };
    }
    stock.set(body.itemId, (stock.get(body.itemId) ?? 0) - (body.quantity ?? 1));
    return {
      status: 201,
      version,
      body: { orderId: 'ord-1001', itemId: body.itemId, quantity: body.quantity, total: 6.5 * (body.quantity ?? 1), currency: 'EUR', status: 'confirmed' },
    };
  };
}

/** A v2 backend: refuses v1-shaped orders the way api-service does. */
export function v2Backend(version = 'v2'): (request: Recorded) => Answer {
  return (request) => {
    if (request.url.endsWith('/api/items')) {
      return { status: 200, version, body: V2_ITEMS };
    }
    const body = request.body as { lines?: unknown; customer?: { email?: string } };
    if (!Array.isArray(body?.lines) || !body.customer?.email) {
      return {
        status: 422,
        version,
        body: {
          type: 'urn:skewless:sample:problem:invalid-order', status: 422, schema: 'v2',
          detail: `The order does not match API schema v2 of version ${version}.`,
          errors: [{ field: 'lines', message: 'required: a list of {sku, quantity}' }, { field: 'customer.email', message: 'required' }],
        },
      };
    }
    return {
      status: 201,
      version,
      body: { order: { id: 'ord-2001', lines: body.lines, total: { amountMinor: 650, currency: 'EUR' }, customer: body.customer, status: 'CONFIRMED' } },
    };
  };
}

/** The router's answer to a pin on a retired version. */
export const EXPIRED: Answer = {
  status: 410,
  version: null,
  body: { error: 'version_expired', message: 'This version of shop is no longer available. Reload to get the current version.', live: 'v2' },
};
