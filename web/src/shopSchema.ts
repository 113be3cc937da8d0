// The shop API as each schema shapes it (see api-service: v1 is flat with decimal prices; v2 renames
// fields, nests money in minor units and orders a list of lines with a required customer e-mail).
// A build speaks exactly one schema. Reading an answer of the other schema fails loudly with
// SchemaMismatch instead of rendering half-empty data: that is what a breaking change looks like.

import type { ApiSchema } from './config';
import { isRecord } from './api';

export interface Item {
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
  inStock: number;
}

export interface OrderDraft {
  sku: string;
  quantity: number;
  /** Required by v2; ignored by v1. */
  email: string;
}

export interface PlacedOrder {
  id: string;
  lines: { sku: string; quantity: number }[];
  totalMinor: number;
  currency: string;
}

/** An answer that does not have the shape this build's schema expects. */
export class SchemaMismatch extends Error {
  constructor(
    readonly schema: ApiSchema,
    what: string,
  ) {
    super(`the answer does not match API schema ${schema}: ${what}`);
    this.name = 'SchemaMismatch';
  }
}

/** The body of POST /api/orders in the given schema. */
export function orderPayload(schema: ApiSchema, draft: OrderDraft): unknown {
  switch (schema) {
    case 'v1':
      return { itemId: draft.sku, quantity: draft.quantity };
    case 'v2':
      return { lines: [{ sku: draft.sku, quantity: draft.quantity }], customer: { email: draft.email.trim() } };
  }
}

/** Reads GET /api/items. */
export function parseItems(schema: ApiSchema, body: unknown): Item[] {
  const list = isRecord(body) ? body.items : undefined;
  if (!Array.isArray(list)) {
    throw new SchemaMismatch(schema, 'no items list');
  }
  return list.map((raw: unknown, index) => {
    if (!isRecord(raw)) {
      throw new SchemaMismatch(schema, `items[${index}] is not an object`);
    }
    if (schema === 'v1') {
      const { id, name, price, currency, stock } = raw;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof price !== 'number' || typeof currency !== 'string') {
        throw new SchemaMismatch(schema, `items[${index}] lacks id, name, price or currency`);
      }
      return { sku: id, name, priceMinor: Math.round(price * 100), currency, inStock: typeof stock === 'number' ? stock : 0 };
    }
    const { sku, title, price, inStock } = raw;
    if (typeof sku !== 'string' || typeof title !== 'string' || !isMoney(price)) {
      throw new SchemaMismatch(schema, `items[${index}] lacks sku, title or price {amountMinor, currency}`);
    }
    return { sku, name: title, priceMinor: price.amountMinor, currency: price.currency, inStock: typeof inStock === 'number' ? inStock : 0 };
  });
}

/** Reads the 201 answer of POST /api/orders. */
export function parseOrder(schema: ApiSchema, body: unknown): PlacedOrder {
  if (schema === 'v1') {
    if (!isRecord(body)) {
      throw new SchemaMismatch(schema, 'the order is not an object');
    }
    const { orderId, itemId, quantity, total, currency } = body;
    if (typeof orderId !== 'string' || typeof itemId !== 'string' || typeof quantity !== 'number'
      || typeof total !== 'number' || typeof currency !== 'string') {
      throw new SchemaMismatch(schema, 'the order lacks orderId, itemId, quantity, total or currency');
    }
    return { id: orderId, lines: [{ sku: itemId, quantity }], totalMinor: Math.round(total * 100), currency };
  }
  const order = isRecord(body) ? body.order : undefined;
  if (!isRecord(order) || typeof order.id !== 'string' || !Array.isArray(order.lines) || !isMoney(order.total)) {
    throw new SchemaMismatch(schema, 'the answer lacks order {id, lines, total}');
  }
  const lines = order.lines.map((line: unknown) => {
    if (!isRecord(line) || typeof line.sku !== 'string' || typeof line.quantity !== 'number') {
      throw new SchemaMismatch(schema, 'an order line lacks sku or quantity');
    }
    return { sku: line.sku, quantity: line.quantity };
  });
  return { id: order.id, lines, totalMinor: order.total.amountMinor, currency: order.total.currency };
}

/** A human summary of a problem+json body (RFC 7807), listing the field errors the backend named. */
export function describeProblem(status: number, body: unknown): string {
  if (!isRecord(body)) {
    return `HTTP ${status}`;
  }
  const head = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title
    : typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  const errors = Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
  const fields = errors.map((e) => `${String(e.field)}: ${String(e.message)}`);
  return fields.length > 0 ? `${head} ${fields.join('; ')}` : head;
}

export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

function isMoney(value: unknown): value is { amountMinor: number; currency: string } {
  return isRecord(value) && typeof value.amountMinor === 'number' && typeof value.currency === 'string';
}
